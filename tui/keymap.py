"""User key remapping: a TOML file mapping binding ids to keys.

``~/.config/jixiao/keys.toml`` (or ``$JIXIAO_KEYS``)::

    [keys]
    "answer.send" = "ctrl+j,f9"
    "draft.preview" = "f2,ctrl+t"
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from platformdirs import user_config_dir

from storage.files import UserFileError, read_user_file

MAX_KEYMAP_BYTES = 64 * 1024
"""A key file is a few lines; a larger one (or ``JIXIAO_KEYS=/dev/zero``) is refused, not read."""


def keymap_path() -> Path:
    """Where the key file is looked for."""
    override = os.environ.get("JIXIAO_KEYS")
    return Path(override) if override else Path(user_config_dir("jixiao")) / "keys.toml"


def load_keymap(path: Path | None = None) -> tuple[dict[str, str], str | None]:
    """The binding-id → keys map from the file, and a Chinese warning when the file is unusable."""
    path = path or keymap_path()
    if not path.exists():
        return {}, None
    try:
        data = tomllib.loads(
            read_user_file(path, max_bytes=MAX_KEYMAP_BYTES, allow_empty=True).decode("utf-8")
        )
    except UserFileError as error:
        return {}, f"按键配置无法读取（{error.message}），已使用默认按键"
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return {}, f"按键配置 {path} 无法读取（{error}），已使用默认按键"
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in keys.items()
    ):
        return {}, f'按键配置 {path} 的 [keys] 应为「编号 = "按键"」，已使用默认按键'
    return dict(keys), None

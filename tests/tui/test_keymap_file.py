"""The key file is read like every user file: bounded, regular files only, an empty one is no remap."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.keymap import load_keymap


def test_a_device_as_key_file_is_refused_without_being_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_KEYS", "/dev/zero")  # read whole, this never ends
    keys, warning = load_keymap()
    assert keys == {}
    assert warning is not None and "不是普通文件" in warning and "已使用默认按键" in warning


def test_an_empty_key_file_remaps_nothing_and_warns_of_nothing(tmp_path: Path) -> None:
    path = tmp_path / "keys.toml"
    path.write_text("", encoding="utf-8")
    assert load_keymap(path) == ({}, None)


def test_a_key_file_remaps_a_binding(tmp_path: Path) -> None:
    path = tmp_path / "keys.toml"
    path.write_text('[keys]\n"draft.skip" = "f9,ctrl+n"\n', encoding="utf-8")
    assert load_keymap(path) == ({"draft.skip": "f9,ctrl+n"}, None)

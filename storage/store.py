"""``ReportStore``: reports in, reports out; every change recorded, conflicts detected.

Callers only ever see ``report.model`` objects and the small dataclasses below, never rows.

Revisions and conflicts
    Every report carries a revision number (1 when created). ``apply`` / ``apply_many`` /
    ``undo`` each write one new revision in one transaction and record, per changed path, the
    old and the new value, when, by whom and from which terminal.

    A change names the revision it was based on (the ``revision`` of the report the caller
    loaded). If a later revision changed one of the same paths to something else, the change is
    refused with ``ConflictError`` and nothing is written. Changes to *other* paths since then
    do not block it: it is applied, and the returned revision (more than ``base + 1``) tells
    the caller to reload to see the other changes. To keep one's own value after a conflict
    ("keep mine"), retry with ``base_revision=error.current_revision``. Writing a value equal
    to the stored one is never a conflict and records nothing.

Resuming
    ``load_for_editing`` returns the report with the step the user was last on
    (``set_current_step``) and the unsent drafts (``save_draft``); neither is a revision. An
    answer passes ``position=Position(...)`` to ``apply_many`` so the step it moves to and the
    removal of its sent draft commit with it.

Threads
    A store may be shared between threads: calls are serialised by a lock.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlite_utils

from report.errors import ParseError
from report.model import Report
from report.serialize import (
    FIELD_PATHS,
    FORMAT,
    VERSION,
    JsonValue,
    answer_step,
    path_from_json,
    path_to_json,
    report_from_dict,
    report_to_dict,
)
from storage.db import DEFAULT_BUSY_TIMEOUT_MS, database_file, open_database
from storage.display import display_value, path_label
from storage.errors import (
    AmbiguousError,
    ConflictError,
    NotFoundError,
    StorageError,
    corrupt,
    translate,
)


@dataclass(frozen=True)
class ReportSummary:
    """One line of the report list: cheap columns only, no report body.

    ``created_at``/``updated_at`` are timezone-aware (UTC); show them with ``.astimezone()``.
    The progress and check counts are what the caller last gave ``set_status`` (None before).
    """

    id: int
    title: str
    year: int
    unit_name: str
    department: str
    template_id: str
    revision: int
    current_step: str | None
    created_at: datetime
    updated_at: datetime
    progress_done: int | None = None
    progress_total: int | None = None
    errors: int | None = None
    warnings: int | None = None


@dataclass(frozen=True)
class Revision:
    """One recorded change of one path, for the history list.

    ``what`` names the path in Chinese (``全年预算数``); ``old`` and ``new`` are short display
    strings (``（空）`` when empty). ``undo_of`` is the revision this change reverted, if it is an undo;
    ``undone`` says a later undo reverted it. ``at`` is timezone-aware (UTC).
    """

    revision: int
    path: str
    what: str
    old: str
    new: str
    at: datetime
    user: str
    terminal: str
    undo_of: int | None = None
    undone: bool = False


@dataclass(frozen=True)
class ListStatus:
    """The progress and check counts the report list shows (what ``set_status`` caches)."""

    progress_done: int | None = None
    progress_total: int | None = None
    errors: int | None = None
    warnings: int | None = None


@dataclass(frozen=True)
class Position:
    """Where the user goes after an answer, saved in the answer's own transaction.

    ``step_id`` becomes the current step (None: past the last step); the draft of
    ``cleared_draft`` is removed (it was just sent); ``status`` refreshes the list counts.
    """

    step_id: str | None
    cleared_draft: str | None = None
    status: ListStatus | None = None


@dataclass(frozen=True)
class LoadedReport:
    """What reopening a report needs: the report, where the user left off, unsent drafts."""

    report: Report
    current_step: str | None
    drafts: dict[str, str]


def default_user() -> str:
    """The login name recorded with changes ("" when the system cannot tell)."""
    try:
        return getpass.getuser()
    except Exception:  # OSError or KeyError, depending on the Python version
        return ""


def default_terminal() -> str:
    """The terminal recorded with changes: the tty of stdin, else ``$SSH_TTY``, else ""."""
    try:
        return os.ttyname(0)
    except OSError:
        return os.environ.get("SSH_TTY", "")


# reports columns holding scalar paths; weights is stored as JSON text
_COLUMNS: dict[str, str] = {
    path: path.replace(".", "_") for path in FIELD_PATHS if path not in ("budget_lines", "indicators")
}
_BUDGET_COLUMNS = ("name", "amount", "purpose")
_INDICATOR_COLUMNS = (
    "name",
    "level2",
    "level1",
    "nature",
    "operator",
    "target",
    "unit",
    "actual",
    "weight",
    "score",
    "deviation_reason",
)
_SUMMARY_COLUMNS = (
    "id, title, year, unit_name, department, template_id, revision, current_step, created_at, updated_at, "
    "progress_done, progress_total, errors, warnings"
)
_MAX_CANDIDATES_SHOWN = 5


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _dump(value: JsonValue) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _column_value(path: str, value: JsonValue) -> JsonValue:
    return _dump(value) if path == "weights" and value is not None else value


class ReportStore:
    """Load, save, list, find and change reports in one jixiao database."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        *,
        user: str | None = None,
        terminal: str | None = None,
    ) -> None:
        """Wrap a database opened by ``storage.db.open_database``.

        ``user`` and ``terminal`` are recorded with every change unless a call names others;
        by default the login name and the terminal of this process.
        """
        self.db = db
        self._conn: sqlite3.Connection = db.conn
        self._lock = threading.RLock()
        self.path: Path = database_file(db)
        self.user = default_user() if user is None else user
        self.terminal = default_terminal() if terminal is None else terminal

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        read_only: bool = False,
    ) -> ReportStore:
        """Open (creating or upgrading as needed) the database at ``path``; see ``open_database``."""
        return cls(open_database(path, busy_timeout_ms=busy_timeout_ms, read_only=read_only))

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self.db.close()

    def __enter__(self) -> ReportStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- transactions ---------------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self, begin: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._conn.execute(begin)
                try:
                    yield self._conn
                    self._conn.execute("COMMIT")
                except BaseException:
                    # SQLite may already have rolled back (e.g. after SQLITE_FULL)
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    raise
            except (sqlite3.Error, UnicodeDecodeError) as error:
                raise translate(error, self.path) from error

    def _write(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        # IMMEDIATE: take the write lock before reading, so the read-check-write is atomic and a
        # busy database waits (busy_timeout) instead of failing on lock upgrade.
        return self._transaction("BEGIN IMMEDIATE")

    def _read(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        # One snapshot for several SELECTs, so a concurrent write cannot tear a load.
        return self._transaction("BEGIN")

    # --- whole reports --------------------------------------------------------------------

    def create(self, report: Report) -> Report:
        """Store a new report and return it with its new ``id`` and ``revision`` 1.

        ``report.id`` and ``report.revision`` are ignored; ``report`` itself is not modified.
        Raises ``ParseError`` if the report holds a value of the wrong type.
        """
        data = report_to_dict(report)
        now = _now()
        with self._write() as conn:
            report_id = self._insert(conn, data, now)
        return report_from_dict({**data, "id": report_id, "revision": 1})

    def _insert(self, conn: sqlite3.Connection, data: Mapping[str, JsonValue], now: str) -> int:
        funds = data["funds"]
        assert isinstance(funds, dict)
        values: dict[str, JsonValue] = {}
        for path, column in _COLUMNS.items():
            value = funds[path.removeprefix("funds.")] if path.startswith("funds.") else data[path]
            values[column] = _column_value(path, value)
        columns = [*values, "revision", "created_at", "updated_at"]
        cursor = conn.execute(
            f"INSERT INTO reports ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [*values.values(), 1, now, now],
        )
        report_id = cursor.lastrowid
        assert report_id is not None
        for path in ("budget_lines", "indicators"):
            self._write_path(conn, report_id, path, data[path])
        answers = data["answers"]
        assert isinstance(answers, dict)
        conn.executemany(
            "INSERT INTO answers (report_id, step_id, text) VALUES (?, ?, ?)",
            [(report_id, step, text) for step, text in answers.items()],
        )
        suggestions = data.get("suggestions", {})
        assert isinstance(suggestions, dict)
        conn.executemany(
            "INSERT INTO suggestions (report_id, path, text) VALUES (?, ?, ?)",
            [(report_id, path, text) for path, text in suggestions.items()],
        )
        return report_id

    def load(self, report_id: int) -> Report:
        """The stored report with this id; ``NotFoundError`` if there is none."""
        with self._read() as conn:
            return self._load(conn, report_id)[0]

    def load_for_editing(self, report_id: int) -> LoadedReport:
        """The report, the step the user was last on and the unsent drafts, in one snapshot."""
        with self._read() as conn:
            report, current_step = self._load(conn, report_id)
            return LoadedReport(report, current_step, self._drafts(conn, report_id))

    def _load(self, conn: sqlite3.Connection, report_id: int) -> tuple[Report, str | None]:
        columns = list(_COLUMNS.values())
        row = conn.execute(
            f"SELECT revision, current_step, {', '.join(columns)} FROM reports WHERE id = ?", (report_id,)
        ).fetchone()
        if row is None:
            raise self._not_found(report_id)
        revision, current_step, *values = row
        data: dict[str, JsonValue] = {
            "format": FORMAT,
            "version": VERSION,
            "id": report_id,
            "revision": revision,
        }
        funds: dict[str, JsonValue] = {}
        try:
            for path, value in zip(_COLUMNS, values, strict=True):
                if path == "weights" and value is not None:
                    value = json.loads(value)
                if path.startswith("funds."):
                    funds[path.removeprefix("funds.")] = value
                else:
                    data[path] = value
            data["funds"] = funds
            for path in ("budget_lines", "indicators"):
                data[path] = self._read_stored(conn, report_id, path)  # report_from_dict checks them
            data["answers"] = dict(
                conn.execute(
                    "SELECT step_id, text FROM answers WHERE report_id = ? ORDER BY rowid", (report_id,)
                ).fetchall()
            )
            suggestions = conn.execute(
                "SELECT path, text FROM suggestions WHERE report_id = ? ORDER BY rowid", (report_id,)
            ).fetchall()
            if suggestions:
                data["suggestions"] = dict(suggestions)
            return report_from_dict(data), current_step
        except (ParseError, ValueError, TypeError) as error:
            raise corrupt(self.path, f"报告 #{report_id} 的数据无法读取：{error}") from error

    def delete(self, report_id: int) -> None:
        """Delete a report with its history and drafts; ``NotFoundError`` if there is none."""
        with self._write() as conn:
            if conn.execute("DELETE FROM reports WHERE id = ?", (report_id,)).rowcount == 0:
                raise self._not_found(report_id)

    def duplicate(self, report_id: int, new_title: str) -> Report:
        """Store a copy of a report under ``new_title`` (without its history or drafts)."""
        with self._read() as conn:
            source, _step = self._load(conn, report_id)
        return self.create(replace(source, title=new_title))

    def revision(self, report_id: int) -> int:
        """The current revision of a report (cheap: lets a caller notice changes by others)."""
        with self._read() as conn:
            return self._current_revision(conn, report_id)

    def list_summaries(self) -> list[ReportSummary]:
        """Every report as a summary, most recently changed first (one query)."""
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_SUMMARY_COLUMNS} FROM reports ORDER BY updated_at DESC, id DESC"
            ).fetchall()
        try:
            return [self._summary(row) for row in rows]
        except (ValueError, TypeError) as error:
            raise corrupt(self.path, "报告列表中有无法读取的日期") from error

    @staticmethod
    def _summary(row: tuple[Any, ...]) -> ReportSummary:
        return ReportSummary(
            id=row[0],
            title=row[1],
            year=row[2],
            unit_name=row[3],
            department=row[4],
            template_id=row[5],
            revision=row[6],
            current_step=row[7],
            created_at=datetime.fromisoformat(row[8]),
            updated_at=datetime.fromisoformat(row[9]),
            progress_done=row[10],
            progress_total=row[11],
            errors=row[12],
            warnings=row[13],
        )

    def find(self, ref: str) -> int:
        """The id of the report ``ref`` names: an id (``12``, ``#12``) or the start of a title.

        An exact title wins over longer titles it begins. Raises ``NotFoundError`` when
        nothing matches and ``AmbiguousError`` (listing the candidates) when several do.
        """
        text = ref.strip()
        folded = unicodedata.normalize("NFKC", text).removeprefix("#").strip()
        with self._read() as conn:
            if folded.isdecimal() and len(folded) < 19:
                row = conn.execute("SELECT id FROM reports WHERE id = ?", (int(folded),)).fetchone()
                if row is not None:
                    return int(row[0])
            if not text:
                raise NotFoundError(f"请给出报告编号或标题开头（数据库 {self.path}）")
            matches = conn.execute(
                "SELECT id, title FROM reports WHERE substr(title, 1, length(?1)) = ?1 "
                "ORDER BY updated_at DESC, id DESC",
                (text,),
            ).fetchall()
        exact = [row for row in matches if row[1] == text]
        if len(matches) == 1 or len(exact) == 1:
            return int((exact or matches)[0][0])
        if not matches:
            raise NotFoundError(
                f"没有编号或标题开头为“{text}”的报告（数据库 {self.path}）；可用 jixiao list 查看全部报告"
            )
        candidates = [(int(row[0]), str(row[1])) for row in matches]
        shown = "、".join(f"#{rid} {title}" for rid, title in candidates[:_MAX_CANDIDATES_SHOWN])
        more = f" 等 {len(candidates)} 份" if len(candidates) > _MAX_CANDIDATES_SHOWN else ""
        raise AmbiguousError(
            f"标题以“{text}”开头的报告不止一份：{shown}{more}；请输入编号或更长的标题（数据库 {self.path}）",
            candidates,
        )

    # --- changes --------------------------------------------------------------------------

    def apply(
        self,
        report_id: int,
        path: str,
        new_value: object,
        base_revision: int,
        *,
        user: str | None = None,
        terminal: str | None = None,
    ) -> int:
        """Set one path (``"title"``, ``"funds.annual_budget"``, ``"answers.<step>"`` …).

        ``new_value`` is the model-level value (``Decimal``, an enum, a list of ``BudgetLine``;
        None removes an answer). Returns the report's revision afterwards: ``base_revision + 1``
        when nobody else wrote meanwhile, more when others changed other paths (reload to see
        them). Raises ``ConflictError`` (nothing written) when someone changed this path since
        ``base_revision``, ``ParseError`` for a bad path or value, ``NotFoundError``.
        """
        return self.apply_many(report_id, {path: new_value}, base_revision, user=user, terminal=terminal)

    def apply_many(
        self,
        report_id: int,
        changes: Mapping[str, object] | Iterable[tuple[str, object]],
        base_revision: int,
        *,
        user: str | None = None,
        terminal: str | None = None,
        position: Position | None = None,
    ) -> int:
        """Set several paths in one transaction, as one revision; see ``apply``.

        All or nothing: a conflict on any path writes none of them. ``position`` (where the user
        goes next) is written in the same transaction, also when no value changed, so a crash
        cannot keep an answer while losing that the user moved past it.
        """
        pairs = changes.items() if isinstance(changes, Mapping) else changes
        wanted: dict[str, JsonValue] = {path: path_to_json(path, value) for path, value in pairs}
        who = self.user if user is None else user
        where = self.terminal if terminal is None else terminal
        with self._write() as conn:
            current = self._current_revision(conn, report_id)
            if base_revision > current:
                raise self._conflict(
                    report_id, base_revision, current, (), "在数据库中的版本比您所依据的还旧"
                )
            old_values: dict[str, JsonValue] = {}
            for path, value in wanted.items():
                old = self._read_path(conn, report_id, path)
                if _dump(old) != _dump(value):
                    old_values[path] = old
            if position is not None:
                self._write_position(conn, report_id, position)
            if not old_values:
                return current
            if base_revision < current:
                self._check_conflicts(conn, report_id, base_revision, current, old_values)
            revision = current + 1
            now = _now()
            for path, old in old_values.items():
                self._write_path(conn, report_id, path, wanted[path])
                self._record(conn, report_id, revision, path, old, wanted[path], now, who, where)
            self._bump(conn, report_id, revision, now)
            return revision

    def _check_conflicts(
        self,
        conn: sqlite3.Connection,
        report_id: int,
        base_revision: int,
        current: int,
        old_values: Mapping[str, JsonValue],
    ) -> None:
        # The earliest row after base holds the value the caller saw; a path changed and changed
        # back (e.g. by undo) has lost nothing and is no conflict.
        rows = conn.execute(
            "SELECT path, old, revision, user, terminal FROM revisions "
            "WHERE report_id = ? AND revision > ? ORDER BY revision, id",
            (report_id, base_revision),
        ).fetchall()
        seen_at_base: dict[str, str] = {}
        last_change: dict[str, tuple[int, str, str]] = {}
        for path, old, revision, user, terminal in rows:
            if path in old_values:
                seen_at_base.setdefault(path, old)
                last_change[path] = (revision, user, terminal)
        conflicting = tuple(path for path in seen_at_base if seen_at_base[path] != _dump(old_values[path]))
        if conflicting:
            revision, user, terminal = last_change[conflicting[-1]]
            names = "、".join(f"“{path_label(path)}”" for path in conflicting)
            by = f"被 {user or '他人'}" + (f"（{terminal}）" if terminal else " ") if user or terminal else ""
            raise self._conflict(
                report_id, base_revision, current, conflicting, f"的{names}已在第 {revision} 版{by}修改"
            )

    def _conflict(
        self, report_id: int, base: int, current: int, paths: tuple[str, ...], what: str
    ) -> ConflictError:
        return ConflictError(
            f"报告 #{report_id} {what}（您依据第 {base} 版，当前为第 {current} 版），您的修改未保存；"
            f"请重新载入查看，若仍要保留您的内容，再保存一次即可（数据库 {self.path}）",
            report_id=report_id,
            base_revision=base,
            current_revision=current,
            paths=paths,
        )

    def history(self, report_id: int, limit: int = 50) -> list[Revision]:
        """The latest ``limit`` recorded changes of a report, newest first."""
        with self._read() as conn:
            self._current_revision(conn, report_id)
            rows = conn.execute(
                "SELECT revision, path, old, new, at, user, terminal, undo_of, undone_by FROM revisions "
                "WHERE report_id = ? ORDER BY revision DESC, id DESC LIMIT ?",
                (report_id, limit),
            ).fetchall()
        return [self._revision(row) for row in rows]

    def _revision(self, row: tuple[object, ...]) -> Revision:
        revision, path, old, new, at, user, terminal, undo_of, undone_by = row
        if not (
            isinstance(revision, int)
            and isinstance(path, str)
            and isinstance(old, str)
            and isinstance(new, str)
            and isinstance(at, str)
        ):
            raise corrupt(self.path, "修改记录无法读取")
        try:
            old_text = display_value(path, json.loads(old))
            new_text = display_value(path, json.loads(new))
            when = datetime.fromisoformat(at)
        except (ValueError, ArithmeticError) as error:  # decimal.InvalidOperation is an ArithmeticError
            raise corrupt(self.path, f"修改记录无法读取：{error}") from error
        return Revision(
            revision=revision,
            path=path,
            what=path_label(path),
            old=old_text,
            new=new_text,
            at=when,
            user=str(user),
            terminal=str(terminal),
            undo_of=undo_of if isinstance(undo_of, int) else None,
            undone=undone_by is not None,
        )

    def undo(
        self, report_id: int, *, user: str | None = None, terminal: str | None = None
    ) -> Revision | None:
        """Revert this user's latest change not yet undone, as a new revision; None if there is none.

        Repeated calls walk back through the user's changes; another user's changes are theirs
        to undo. A revision that changed several paths is reverted as a whole; the returned
        ``Revision`` describes its first path (``history`` shows all): its ``new`` is the value
        restored, its ``old`` the value just undone. When someone else has changed one of those
        paths since, reverting would silently throw their change away: ``ConflictError``, and
        nothing is written.
        """
        who = self.user if user is None else user
        where = self.terminal if terminal is None else terminal
        with self._write() as conn:
            current = self._current_revision(conn, report_id)
            target = conn.execute(
                "SELECT revision FROM revisions WHERE report_id = ? AND undo_of IS NULL "
                "AND undone_by IS NULL AND user = ? ORDER BY revision DESC LIMIT 1",
                (report_id, who),
            ).fetchone()
            if target is None:
                return None
            rows = conn.execute(
                "SELECT path, old, new FROM revisions WHERE report_id = ? AND revision = ? ORDER BY id",
                (report_id, target[0]),
            ).fetchall()
            restores: list[tuple[str, JsonValue, JsonValue]] = []
            for path, old_text, new_text in rows:
                try:
                    restored = path_to_json(path, path_from_json(path, json.loads(old_text)))
                except (ParseError, ValueError, TypeError) as error:
                    raise corrupt(self.path, f"修改记录无法读取：{error}") from error
                present = self._read_path(conn, report_id, path)
                if _dump(present) != new_text:
                    raise self._changed_since(conn, report_id, target[0], current, path)
                restores.append((path, present, restored))
            revision = current + 1
            now = _now()
            for path, present, restored in restores:
                self._write_path(conn, report_id, path, restored)
                self._record(conn, report_id, revision, path, present, restored, now, who, where, target[0])
            conn.execute(
                "UPDATE revisions SET undone_by = ? WHERE report_id = ? AND revision = ?",
                (revision, report_id, target[0]),
            )
            self._bump(conn, report_id, revision, now)
            first = conn.execute(
                "SELECT revision, path, old, new, at, user, terminal, undo_of, undone_by FROM revisions "
                "WHERE report_id = ? AND revision = ? ORDER BY id LIMIT 1",
                (report_id, revision),
            ).fetchone()
            return self._revision(first)

    def nothing_to_undo(self, report_id: int) -> str:
        """Why ``undo`` found nothing: no change at all, or only other people's (theirs to undo)."""
        if self.history(report_id, limit=1):
            return f"没有你（{self.user}）可撤销的修改；其他人的修改由其本人撤销。"
        return "没有可撤销的修改。"

    def _changed_since(
        self, conn: sqlite3.Connection, report_id: int, target: int, current: int, path: str
    ) -> ConflictError:
        row = conn.execute(
            "SELECT revision, user, terminal FROM revisions WHERE report_id = ? AND path = ? AND revision > ? "
            "ORDER BY revision DESC LIMIT 1",
            (report_id, path, target),
        ).fetchone()
        revision, user, terminal = row if row is not None else (current, "", "")
        by = f"被 {user or '他人'}" + (f"（{terminal}）" if terminal else "")
        return ConflictError(
            f"无法撤销第 {target} 版：“{path_label(path)}”之后已在第 {revision} 版{by}修改，撤销会覆盖对方的修改；"
            f"撤销未执行。如仍要改回，请直接输入想要的内容（数据库 {self.path}）",
            report_id=report_id,
            base_revision=target,
            current_revision=current,
            paths=(path,),
        )

    # --- drafts and where the user left off ---------------------------------------------------

    def save_draft(self, report_id: int, step_id: str, text: str) -> None:
        """Keep the unsent text of a step's answer box (blank text removes it). Not a revision."""
        with self._write() as conn:
            self._current_revision(conn, report_id)
            if text.strip():
                conn.execute(
                    "INSERT INTO drafts (report_id, step_id, text, updated_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (report_id, step_id) DO UPDATE SET text = excluded.text, "
                    "updated_at = excluded.updated_at",
                    (report_id, step_id, text, _now()),
                )
            else:
                conn.execute("DELETE FROM drafts WHERE report_id = ? AND step_id = ?", (report_id, step_id))

    def drafts(self, report_id: int) -> dict[str, str]:
        """The unsent drafts of a report, by step id."""
        with self._read() as conn:
            self._current_revision(conn, report_id)
            return self._drafts(conn, report_id)

    def _drafts(self, conn: sqlite3.Connection, report_id: int) -> dict[str, str]:
        rows = conn.execute(
            "SELECT step_id, text FROM drafts WHERE report_id = ? ORDER BY rowid", (report_id,)
        ).fetchall()
        return {str(step): str(text) for step, text in rows}

    def set_current_step(self, report_id: int, step_id: str | None) -> None:
        """Remember the step the user is on, so reopening resumes there. Not a revision."""
        with self._write() as conn:
            cursor = conn.execute("UPDATE reports SET current_step = ? WHERE id = ?", (step_id, report_id))
            if cursor.rowcount == 0:
                raise self._not_found(report_id)

    def _write_position(self, conn: sqlite3.Connection, report_id: int, position: Position) -> None:
        conn.execute("UPDATE reports SET current_step = ? WHERE id = ?", (position.step_id, report_id))
        if position.cleared_draft is not None:
            conn.execute(
                "DELETE FROM drafts WHERE report_id = ? AND step_id = ?", (report_id, position.cleared_draft)
            )
        if position.status is not None:
            self._write_status(conn, report_id, position.status)

    def _write_status(self, conn: sqlite3.Connection, report_id: int, status: ListStatus) -> None:
        cursor = conn.execute(
            "UPDATE reports SET progress_done = ?, progress_total = ?, errors = ?, warnings = ? WHERE id = ?",
            (status.progress_done, status.progress_total, status.errors, status.warnings, report_id),
        )
        if cursor.rowcount == 0:
            raise self._not_found(report_id)

    def set_status(
        self,
        report_id: int,
        *,
        progress_done: int | None,
        progress_total: int | None,
        errors: int | None,
        warnings: int | None,
    ) -> None:
        """Cache the progress and check counts shown in the report list. Not a revision."""
        with self._write() as conn:
            self._write_status(conn, report_id, ListStatus(progress_done, progress_total, errors, warnings))

    def current_step(self, report_id: int) -> str | None:
        """The step the user was last on (None if never set)."""
        with self._read() as conn:
            row = conn.execute("SELECT current_step FROM reports WHERE id = ?", (report_id,)).fetchone()
        if row is None:
            raise self._not_found(report_id)
        return None if row[0] is None else str(row[0])

    # --- path-level reads and writes (JSON form) ------------------------------------------

    def _current_revision(self, conn: sqlite3.Connection, report_id: int) -> int:
        row = conn.execute("SELECT revision FROM reports WHERE id = ?", (report_id,)).fetchone()
        if row is None:
            raise self._not_found(report_id)
        if not isinstance(row[0], int) or row[0] < 1:  # SQLite's CHECK lets text through
            raise corrupt(self.path, f"报告 #{report_id} 的版本号无法读取")
        return row[0]

    def _read_path(self, conn: sqlite3.Connection, report_id: int, path: str) -> JsonValue:
        value = self._read_stored(conn, report_id, path)
        try:  # what apply and undo compare and record must be a value jixiao wrote
            path_from_json(path, value)
        except (ParseError, ValueError, TypeError) as error:
            detail = f"：{error}" if isinstance(error, ParseError) else ""
            raise corrupt(self.path, f"报告 #{report_id} 的“{path_label(path)}”无法读取{detail}") from error
        return value

    def _read_stored(self, conn: sqlite3.Connection, report_id: int, path: str) -> JsonValue:
        step = answer_step(path)
        if step is not None:
            row = conn.execute(
                "SELECT text FROM answers WHERE report_id = ? AND step_id = ?", (report_id, step)
            ).fetchone()
            return None if row is None else row[0]
        if path in ("budget_lines", "indicators"):
            columns = _BUDGET_COLUMNS if path == "budget_lines" else _INDICATOR_COLUMNS
            rows = conn.execute(
                f"SELECT {', '.join(columns)} FROM {path} WHERE report_id = ? ORDER BY position", (report_id,)
            ).fetchall()
            return [dict(zip(columns, row, strict=True)) for row in rows]
        column = _COLUMNS[path]
        value = conn.execute(f"SELECT {column} FROM reports WHERE id = ?", (report_id,)).fetchone()[0]
        if path == "weights" and value is not None:
            try:
                parsed: JsonValue = json.loads(value)
            except ValueError as error:
                raise corrupt(self.path, f"报告 #{report_id} 的权重无法读取") from error
            return parsed
        result: JsonValue = value
        return result

    def _write_path(self, conn: sqlite3.Connection, report_id: int, path: str, value: JsonValue) -> None:
        step = answer_step(path)
        if step is not None:
            if value is None:
                conn.execute("DELETE FROM answers WHERE report_id = ? AND step_id = ?", (report_id, step))
            else:
                conn.execute(
                    "INSERT INTO answers (report_id, step_id, text) VALUES (?, ?, ?) "
                    "ON CONFLICT (report_id, step_id) DO UPDATE SET text = excluded.text",
                    (report_id, step, value),
                )
        elif path in ("budget_lines", "indicators"):
            assert isinstance(value, list)
            columns = _BUDGET_COLUMNS if path == "budget_lines" else _INDICATOR_COLUMNS
            conn.execute(f"DELETE FROM {path} WHERE report_id = ?", (report_id,))
            rows = []
            for position, item in enumerate(value):
                assert isinstance(item, dict)
                rows.append((report_id, position, *(item[column] for column in columns)))
            conn.executemany(
                f"INSERT INTO {path} (report_id, position, {', '.join(columns)}) "
                f"VALUES ({', '.join('?' * (len(columns) + 2))})",
                rows,
            )
        else:
            conn.execute(
                f"UPDATE reports SET {_COLUMNS[path]} = ? WHERE id = ?",
                (_column_value(path, value), report_id),
            )

    def _record(
        self,
        conn: sqlite3.Connection,
        report_id: int,
        revision: int,
        path: str,
        old: JsonValue,
        new: JsonValue,
        at: str,
        user: str,
        terminal: str,
        undo_of: int | None = None,
    ) -> None:
        conn.execute(
            "INSERT INTO revisions (report_id, revision, path, old, new, at, user, terminal, undo_of) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (report_id, revision, path, _dump(old), _dump(new), at, user, terminal, undo_of),
        )

    def _bump(self, conn: sqlite3.Connection, report_id: int, revision: int, at: str) -> None:
        conn.execute(
            "UPDATE reports SET revision = ?, updated_at = ? WHERE id = ?", (revision, at, report_id)
        )

    def _not_found(self, report_id: int) -> NotFoundError:
        return NotFoundError(
            f"没有编号为 {report_id} 的报告（数据库 {self.path}）；它可能已被删除，可用 jixiao list 查看全部报告"
        )


__all__ = [
    "LoadedReport",
    "ReportStore",
    "ReportSummary",
    "Revision",
    "StorageError",
    "default_terminal",
    "default_user",
]

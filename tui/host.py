"""What the screens ask of the app, as a Protocol: the screens talk to it without importing ``tui.app``.

``tui.app`` imports the screens it shows; were the screens to import ``tui.app`` back, the two
would form an import circle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from storage.store import ReportStore
    from tui.screens.dialogs import NewReportForm


class ReportHost(Protocol):
    """The app's side of the screens: the open store and the moves between reports."""

    store: ReportStore

    def show_home(self) -> None:
        """Show the report list."""

    def open_report(self, report_id: int) -> bool:
        """Open a report in the drafting screen; False when it could not be opened."""

    def create_report(self, form: NewReportForm) -> None:
        """Create a report from the new-report form and open it."""

    def open_demo(self) -> None:
        """Create (or reset) the demo report and open it."""

    def start_next_year(self, report_id: int) -> None:
        """Create next year's report from an earlier one and open it."""

    def ask_import(self) -> None:
        """Ask for a file and import it as a new report."""

    def ask_export(self, report_id: int, after: object = None) -> None:
        """Ask for a path and a format and export the report there."""


def host_of(app: object) -> ReportHost:
    """The running app as the host the screens talk to."""
    return cast("ReportHost", app)

"""The answer box at the bottom of the conversation.

One widget for every step kind: for values and rows Enter sends; for prose Enter breaks the line
(except on a one-line ``/command``) and ctrl+j (which every terminal sends; ctrl+enter where the terminal can) sends. Up on the first
line and Down on the last recall earlier answers to the same step. Tab in an empty box takes the
dimmed suggestion. Pasted text arrives whole, newlines included. A refused one-line answer stays
selected, so typing replaces it and the arrow keys edit it.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea
from textual.widgets.text_area import Selection


class AnswerBox(TextArea):
    """A TextArea that sends on Enter (values, rows) or on ctrl+j (prose)."""

    BINDINGS = [
        # not a priority binding: it must run after the keys typed before it have reached the box
        # not in the key bar: the line above the box says which key sends at this step
        Binding("ctrl+j,ctrl+enter,ctrl+s", "send", "发送", id="answer.send", show=False),
    ]

    @dataclass
    class Submitted(Message):
        """The user sent the box's text."""

        answer_box: AnswerBox
        text: str

    @dataclass
    class Edited(Message):
        """The text changed by typing or pasting (for draft autosave)."""

        answer_box: AnswerBox
        text: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            "",
            id=id,
            soft_wrap=True,
            show_line_numbers=False,
            tab_behavior="focus",
            compact=True,
            highlight_cursor_line=False,
        )
        self.cursor_blink = False
        self.enter_sends = True
        # not `suggestion`: that is TextArea's own inline-completion reactive in Textual 8
        self.tab_suggestion = ""
        self._history: list[str] = []
        self._history_index: int | None = None
        self._restoring = False

    def configure(self, *, enter_sends: bool, suggestion: str, history: list[str], placeholder: str) -> None:
        """Prepare the box for a step: its sending key, the suggestion Tab takes and earlier answers."""
        self.enter_sends = enter_sends
        self.tab_suggestion = suggestion
        self._history = [h for h in history if h.strip()]
        self._history_index = None
        self.placeholder = placeholder
        self.set_class(not enter_sends, "-prose")

    def set_text(self, text: str) -> None:
        """Replace the text without it counting as an edit, caret at the end."""
        self._restoring = True
        self.load_text(text)
        self.move_cursor(self.document.end)
        self._restoring = False

    def select_refused(self) -> None:
        """Select a refused one-line answer: typing replaces it, the arrow keys still edit it.

        Several lines (prose, pasted rows) keep the caret at the end instead: replacing a whole
        paragraph by the first key typed would lose more than it saves.
        """
        text = self.text
        if text.strip() and "\n" not in text.rstrip("\n"):
            self.selection = Selection(start=(0, 0), end=self.document.end)

    def action_send(self) -> None:
        """Send the current text."""
        self.post_message(self.Submitted(self, self.text))

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter" and (self.enter_sends or self._is_command()):
            event.prevent_default()
            event.stop()
            self.action_send()
            return
        if event.key == "tab" and not self.text and self.tab_suggestion:
            event.prevent_default()
            event.stop()
            self.set_text(self.tab_suggestion)
            self.post_message(self.Edited(self, self.text))
            return
        if event.key in ("up", "down") and not self.selection.is_empty:
            # a selected refused answer: the arrows collapse the selection, to edit it in place
            await super()._on_key(event)
            return
        if event.key == "up" and self.cursor_location[0] == 0 and self._recall(-1):
            event.prevent_default()
            event.stop()
            return
        if (
            event.key == "down"
            and self.cursor_location[0] == self.document.line_count - 1
            and self._recall(1)
        ):
            event.prevent_default()
            event.stop()
            return
        await super()._on_key(event)

    def _is_command(self) -> bool:
        """A one-line ``/command`` sends on Enter even in prose."""
        return self.text.startswith("/") and "\n" not in self.text

    def _recall(self, step: int) -> bool:
        if not self._history:
            return False
        if self._history_index is None:
            if step > 0:
                return False
            index = len(self._history) - 1
        else:
            index = self._history_index + step
        if index >= len(self._history):
            self._history_index = None
            self.set_text("")
            return True
        if index < 0:
            return True
        self._history_index = index
        self.set_text(self._history[index])
        return True

    def _on_text_area_changed(self, event: TextArea.Changed) -> None:
        if not self._restoring:
            self.post_message(self.Edited(self, self.text))

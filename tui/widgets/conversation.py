"""The conversation: the assistant's questions and replies, the user's answers.

Who speaks is shown by a text label (助手 / 我), never by colour alone. New messages scroll into
view unless the user has scrolled up to read earlier ones.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

MAX_MESSAGES = 300  # older messages are dropped so a long session stays light

ROLE_LABELS = {
    "question": "助手 ›",
    "reply": "助手 ›",
    "error": "助手 ✗",
    "ok": "助手 ✓",
    "user": "我 ›",
    "info": "提示 ·",
}


class ChatMessage(Static):
    """One message, labelled with its speaker."""

    def __init__(self, role: str, body: str | Text) -> None:
        text = Text()
        text.append(ROLE_LABELS.get(role, "助手 ›") + " ", style="bold")
        text.append(body if isinstance(body, Text) else Text(body))
        super().__init__(text, classes=f"message -{role}", markup=False)
        self.role = role
        self.body = body.plain if isinstance(body, Text) else body


class Conversation(VerticalScroll):
    """A scrolling list of messages."""

    can_focus = True

    def on_mount(self) -> None:
        # anchored: new messages scroll into view in the frame that shows them (scrolling after
        # the refresh cost a second frame per message); scrolling up releases the anchor and
        # scrolling back to the end restores it
        self.anchor()

    def add(self, role: str, body: str | Text) -> ChatMessage:
        """Append a message; follow it unless the user scrolled up."""
        message = ChatMessage(role, body)
        self.mount(message)
        extra = len(self.children) - MAX_MESSAGES
        if extra > 0:
            for old in list(self.children)[:extra]:
                old.remove()
        return message

    def transcript(self) -> list[str]:
        """The messages as plain text, oldest first (for tests and copying)."""
        return [f"{ROLE_LABELS.get(m.role, '')} {m.body}" for m in self.query(ChatMessage)]

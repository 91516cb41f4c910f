"""The one error every parser in report/ raises for bad input."""

from __future__ import annotations


class ParseError(ValueError):
    """Input that cannot be understood.

    ``message`` says in Chinese what is wrong (naming the input); ``hint`` shows a form that
    would be accepted. ``str(error)`` joins both, ready to show to a user.
    """

    def __init__(self, message: str, hint: str = "") -> None:
        self.message = message
        self.hint = hint
        super().__init__(f"{message}{'；' + hint if hint else ''}")

"""The bottom line of every screen: the keys that work here, as one widget.

Textual's ``Footer`` builds a widget per key and rebuilds them all whenever the focus moves; at
start-up that restyled a dozen key widgets a dozen times, about a third of the time to the first
frame. This shows the same bindings (those with ``show=True`` in the focused chain, then the
command palette) as one line of text, re-rendered only when the bindings change.
"""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    """One line: ``F1 帮助  F2 预览 …  ^p 命令``; cut at the screen's width."""

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._hints: list[tuple[str, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._hints = self.key_hints()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is not self.screen:
            return
        hints = self.key_hints()
        if hints != self._hints:
            self._hints = hints
            self.refresh()

    def key_hints(self) -> list[tuple[str, str]]:
        """(key, what it does) for each shown binding, one per action, the palette last."""
        hints: list[tuple[str, str]] = []
        actions: set[str] = set()
        palette = None
        active = self.screen.active_bindings
        for _node, binding, enabled, _tooltip in active.values():
            action = binding.action.removeprefix("app.")
            if action == "command_palette" and self.app.ENABLE_COMMAND_PALETTE:
                palette = (self.app.get_key_display(binding), binding.description or "命令")
                continue
            if not binding.show or not enabled or action in actions:
                continue
            actions.add(action)
            hints.append((_shown(self.app.get_key_display(binding)), binding.description))
        if palette is not None:
            hints.append(palette)
        return hints

    def render(self) -> Text:
        """The hints, keys bold; Textual crops what does not fit."""
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        line = Text(no_wrap=True, overflow="crop", end="")
        for key, description in self._hints:
            line.append(f" {key} ", key_style)
            line.append(f"{description} ", description_style)
        return line


def _shown(key: str) -> str:
    # letters and function keys as the help screens and the keyboard print them: N, F1
    if len(key) == 1 or (key[:1] == "f" and key[1:].isdigit()):
        return key.upper()
    return key

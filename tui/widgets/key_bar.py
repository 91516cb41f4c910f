"""The bottom line of every screen: the keys that work here, as one widget.

Textual's ``Footer`` builds a widget per key and rebuilds them all whenever the focus moves; at
start-up that restyled a dozen key widgets a dozen times, about a third of the time to the first
frame. This shows the same bindings (those with ``show=True`` in the focused chain, then the
command palette) as one line of text, re-rendered only when the bindings change.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    """One line: ``F1 帮助  F2 预览 …  ^p 命令``; the hints that do not fit whole are left out."""

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
        order = self._declared_order()
        active = sorted(
            self.screen.active_bindings.values(),
            key=lambda bound: order.get((id(bound.node), bound.binding.action), (len(order), 0)),
        )
        for _node, binding, enabled, _tooltip in active:
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

    def _declared_order(self) -> dict[tuple[int, str], tuple[int, int]]:
        # Textual lists active bindings in the order their keys were first met, so a screen's
        # priority binding takes the place of the focused widget's binding it overrides (F6, F7
        # ahead of F1). Shown instead: the focused widget's keys, then its parents', then the
        # app's, each in the order its class declares them.
        focused = self.screen.focused
        chain = list(focused.ancestors_with_self) if focused is not None else [self.screen, self.app]
        order: dict[tuple[int, str], tuple[int, int]] = {}
        for depth, node in enumerate(chain):
            declared: list[BindingType] = []
            for cls in reversed(type(node).__mro__):
                declared.extend(cls.__dict__.get("BINDINGS", []))
            for position, binding in enumerate(Binding.make_bindings(declared)):
                order.setdefault((id(node), binding.action), (depth, position))
        return order

    def render(self) -> Text:
        """The hints that fit whole, keys bold."""
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        line = Text(no_wrap=True, overflow="crop", end="")
        width = self.size.width
        for key, description in self._hints:
            if line.cell_len + cell_len(f" {key} {description}") > width:
                break  # whole hints only: a bare "F8" says nothing
            line.append(f" {key} ", key_style)
            line.append(f"{description} ", description_style)
        return line


def _shown(key: str) -> str:
    # letters and function keys as the help screens and the keyboard print them: N, F1
    if len(key) == 1 or (key[:1] == "f" and key[1:].isdigit()):
        return key.upper()
    return key

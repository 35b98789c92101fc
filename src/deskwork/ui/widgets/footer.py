"""The footer of every deskwork screen: the keys bound now, drawn as one line by one widget.

Textual's Footer is a row of widgets, one per key, each sized to its text: whenever the focused
widget's bindings change (every switch between desk areas) their widths change and the whole
screen is laid out again, and each key widget is styled and drawn on its own (the largest part of
an area switch's frozen frame). This footer is one widget one line high whose size never changes:
new keys repaint that line and nothing else.

It looks as Textual's Footer looks (tests/ui/test_footer.py draws both and compares every cell):
each key, then its description, a disabled key dimmed, a binding group's keys together followed
by the group's description, the key written as the user's keymap binds it (`App.get_key_display`).
Textual's own "^p Commands" entry is left out because the `app.palette` command is already there.
Clicking a key runs it as pressing it would (a disabled key rings the bell), hovering a key
highlights it and shows its tooltip, and when the keys do not fit the mouse wheel scrolls them."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen


class Shown(NamedTuple):
    """One key as the footer writes it."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str
    group: str | None = None  # the description of the group it is shown in (None: on its own)
    group_compact: bool = False


class Run(NamedTuple):
    """A stretch of the footer's line: its text, what it is (`key`, `description`, `label`: a
    group's description, `gap`: the footer's background) and the key it belongs to (an index
    into the keys shown, None for labels and gaps)."""

    text: str
    role: str
    key: int | None


class _Box(NamedTuple):
    """What Textual's Footer lays out side by side: a key, a group of keys, a group's label;
    margins collapse between neighbours as Textual's horizontal layout collapses them."""

    left: int
    right: int
    runs: list[Run]


def _flow(boxes: list[_Box]) -> list[Run]:
    runs: list[Run] = []
    previous_right: int | None = None
    for box in boxes:
        gap = box.left if previous_right is None else max(previous_right, box.left)
        if gap:
            runs.append(Run(" " * gap, "gap", None))
        runs.extend(box.runs)
        previous_right = box.right
    if boxes and boxes[-1].right:
        runs.append(Run(" " * boxes[-1].right, "gap", None))
    return runs


def _key_runs(shown: Shown, index: int, compact: bool) -> list[Run]:
    """A key as Textual's FooterKey writes it (its padding is part of the key: clickable)."""
    if not shown.description:
        return [Run(shown.display, "key", index)]
    pad = "" if compact else " "
    return [
        Run(f"{pad}{shown.display}{pad}", "key", index),
        Run(f" {shown.description}" if compact else f"{shown.description} ", "description", index),
    ]


def layout(keys: list[Shown], compact: bool = False) -> list[Run]:
    """The footer's line for these keys, as Textual's Footer (with its default CSS) places them."""
    boxes: list[_Box] = []
    index = 0
    while index < len(keys):
        shown = keys[index]
        end = index + 1
        while (
            shown.group is not None
            and end < len(keys)
            and (keys[end].group, keys[end].group_compact) == (shown.group, shown.group_compact)
        ):
            end += 1
        if shown.group is not None and end - index > 1:  # a group: its keys, then its label
            inner = [
                _Box(*((0, 0) if shown.group_compact else (1, 1)), [Run(k.display, "key", i)])
                for i, k in enumerate(keys[index:end], start=index)
            ]
            runs = _flow(inner)
            if shown.group_compact:  # padding-left 1, margin-right 1
                boxes.append(_Box(0, 1, [Run(" ", "gap", None), *runs]))
            else:
                boxes.append(_Box(0, 0, runs))
            label_margin = 0 if compact else 1
            boxes.append(_Box(0, label_margin, [Run(shown.group, "label", None)]))
        else:
            for i in range(index, end):
                boxes.append(_Box(0, 1 if compact else 0, _key_runs(keys[i], i, compact)))
        index = end
    return _flow(boxes)


class DeskFooter(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "desk-footer--item",
        "desk-footer--item-hover",
        "desk-footer--key",
        "desk-footer--description",
        "desk-footer--label",
    }
    # The colours of Textual's Footer, FooterKey and FooterLabel (the theme's footer variables).
    DEFAULT_CSS = """
    DeskFooter {
        dock: bottom;
        width: 1fr;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .desk-footer--item { background: $footer-item-background; }
        & > .desk-footer--item-hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        & > .desk-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .desk-footer--description, & > .desk-footer--label {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    compact = reactive(False, toggle_class="-compact", layout=False)
    """Textual's compact footer style: less space around each key."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[Shown] | None = None  # None: not read yet (read at the first paint)
        self.repaints = 0  # how many times new keys were painted
        self._runs: list[Run] = []
        self._starts: list[tuple[int, int, int | None]] = []  # (x, end x, key) of each run
        self._hover: int | None = None
        self._scroll = 0
        self._sync_due = False
        self._styles: dict[tuple[str, bool, bool], Style] = {}
        self._strip: tuple[tuple[object, ...], Strip] | None = None

    # ------------------------------------------------------------------ the keys
    def shown(self) -> list[Shown]:
        """The keys the bindings active now put in the footer: each shown action once, its first
        binding's key (as Textual's Footer picks them)."""
        seen: dict[str, Shown] = {}
        get_display = self.app.get_key_display
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            group = binding.group
            seen[binding.action] = Shown(
                binding.key,
                get_display(binding),
                binding.description,
                binding.action,
                enabled,
                tooltip,
                group.description if group is not None else None,
                group.compact if group is not None else False,
            )
        keys = list(seen.values())
        start = 0
        while start < len(keys):  # runs of neighbours in one group (Textual's groupby)
            end = start + 1
            run = (keys[start].group, keys[start].group_compact)
            while end < len(keys) and (keys[end].group, keys[end].group_compact) == run:
                end += 1
            for i in range(start, end):
                if run[0] is None:
                    continue
                if end - start == 1:  # a group of one: shown as a plain key
                    keys[i] = keys[i]._replace(group=None, group_compact=False)
                else:  # a grouped key shows no description: its tooltip says it
                    keys[i] = keys[i]._replace(tooltip=keys[i].tooltip or keys[i].description)
            start = end
        return keys

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        if not screen.app.app_focus:  # as Textual's Footer: no flicker while the app is blurred
            return
        if self.is_attached and screen is self.screen and not self._sync_due:
            self._sync_due = True
            self.call_later(self.sync_keys)

    def sync_keys(self) -> None:
        """The keys shown brought up to date: one line repainted where they changed, nothing
        where they did not (the footer's size never changes)."""
        self._sync_due = False
        if not self.is_attached:
            return
        keys = self.shown()
        if keys != self.keys:
            self._set_keys(keys)
            self.repaints += 1
            self.refresh()

    def _set_keys(self, keys: list[Shown]) -> None:
        self.keys = keys
        self._strip = None
        self._runs = layout(keys, self.compact)
        self._starts = []
        x = 0
        for run in self._runs:
            width = cell_len(run.text)
            self._starts.append((x, x + width, run.key))
            x += width
        self._scroll = min(self._scroll, max(0, x - self.size.width))
        if self._hover is not None:
            self._hover = None
            self.tooltip = None

    def _watch_compact(self) -> None:
        if self.keys is not None:
            self._set_keys(self.keys)
            self.refresh()

    @property
    def line_width(self) -> int:
        """How many cells the keys take (more than the footer's width: they scroll)."""
        return self._starts[-1][1] if self._starts else 0

    def key_at(self, x: int) -> Shown | None:
        """The key drawn at column `x` of the footer (None: between keys, or past them)."""
        index = self._index_at(x)
        return None if index is None or self.keys is None else self.keys[index]

    def _index_at(self, x: int) -> int | None:
        x += self._scroll
        for start, end, key in self._starts:
            if start <= x < end:
                return key
        return None

    # ------------------------------------------------------------------ drawing
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strip = None

    def _style(self, role: str, enabled: bool, hover: bool) -> Style:
        """A run's style, layered as Textual layers a FooterKey's: the footer, the key's own
        background (or its hover colours), then the key / description component; dim when the
        key is disabled."""
        cache_key = (role, enabled, hover)
        style = self._styles.get(cache_key)
        if style is not None:
            return style
        background = self.background_colors[1]
        if role == "gap":  # blank cells: the background alone, as Textual fills a widget
            return Style.from_color(bgcolor=background.rich_color)
        color = self.styles.color
        text_style = Style()
        layers = ["label"] if role == "label" else []
        if role in ("key", "description"):
            layers = ["item-hover" if hover else "item", role]
            if not enabled:
                text_style += Style(dim=True)
        for layer in layers:
            styles = self.get_component_styles(f"desk-footer--{layer}")
            if styles.has_rule("background"):
                background += styles.background
            if styles.has_rule("color"):
                color = styles.color
            text_style += styles.text_style
        style = text_style + Style.from_color(
            (background + color).rich_color if (background.a or color.a) else None,
            background.rich_color if background.a else None,
        )
        self._styles[cache_key] = style
        return style

    def render_line(self, y: int) -> Strip:
        if self.keys is None:  # the first paint: the keys bound now, without waiting
            self._set_keys(self.shown())
        width = self.size.width
        keys = self.keys or []
        cache_key = (width, self._hover, self._scroll)  # and the keys: _set_keys clears it
        if self._strip is not None and self._strip[0] == cache_key:
            return self._strip[1]
        segments = []
        for run in self._runs:
            if run.key is None:
                style = self._style(run.role, True, False)
            else:
                style = self._style(run.role, keys[run.key].enabled, run.key == self._hover)
            segments.append(Segment(run.text, style))
        base = self._style("gap", True, False)
        strip = Strip(segments).crop(self._scroll, self._scroll + width)
        strip = strip.extend_cell_length(width, base).simplify()
        self._strip = (cache_key, strip)
        return strip

    # ------------------------------------------------------------------ the mouse
    def on_mouse_down(self, event: events.MouseDown) -> None:
        shown = self.key_at(event.x)
        if shown is None:
            return
        event.stop()
        if shown.enabled:
            self.app.simulate_key(shown.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover_on(self._index_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._hover_on(None)

    def _hover_on(self, index: int | None) -> None:
        if index == self._hover:
            return
        self._hover = index
        shown = self.keys[index] if index is not None and self.keys is not None else None
        self.tooltip = (shown.tooltip or None) if shown is not None else None
        self.refresh()

    def _scroll_by(self, keys: int) -> bool:
        """The line scrolled one key left or right (when it does not fit); True if it moved."""
        most = max(0, self.line_width - self.size.width)
        firsts: dict[int, int] = {}
        for start, _, key in self._starts:
            if key is not None:
                firsts.setdefault(key, start)
        starts = sorted({*firsts.values(), 0, most})
        if keys > 0:
            target = next((s for s in starts if s > self._scroll), most)
        else:
            target = next((s for s in reversed(starts) if s < self._scroll), 0)
        target = max(0, min(most, target))
        if target == self._scroll:
            return False
        self._scroll = target
        self.refresh()
        return True

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        if self._scroll_by(1):
            event.stop()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        if self._scroll_by(-1):
            event.stop()

"""The footer of every deskwork screen: the keys bound now. Textual's own "^p Commands" entry is
left out because the `app.palette` command is already there (and follows the user's keymap).

Textual's Footer recomposes (unmounts and mounts every key, each one restyled) whenever the
focused widget's bindings change: on every switch between desk areas, tens of milliseconds of a
frozen loop (the stall meter's `switch_areas`). This footer instead brings the keys it shows up to
date in place: a key whose text or state changed is updated, only missing keys are mounted and
surplus ones removed, and nothing happens when the bindings shown are the same."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

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


class DeskFooter(Footer):
    def __init__(self) -> None:
        super().__init__(show_command_palette=False)
        self.syncs = 0  # how many times the keys were brought up to date in place
        self.recomposes = 0  # how many times they were built again from nothing

    def shown(self) -> list[Shown] | None:
        """The keys the bindings active now put in the footer, or None where Textual's grouped
        layout is needed (a binding group of several keys: recomposed the ordinary way)."""
        seen: dict[str, Shown] = {}
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            if binding.group is not None:
                return None
            seen[binding.action] = Shown(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                enabled,
                tooltip,
            )
        return list(seen.values())

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self.sync_keys)

    async def sync_keys(self) -> None:
        """The footer's keys made to match the bindings active now, changing only what differs."""
        if not self.is_attached:
            return
        wanted = self.shown()
        keys = list(self.query_children(FooterKey))
        if wanted is None or len(keys) != len(self.children):  # groups: Textual's own layout
            self.recomposes += 1
            await self.recompose()
            return
        self.syncs += 1
        for widget, row in zip(keys, wanted, strict=False):
            _update(widget, row)
        if len(wanted) > len(keys):
            await self.mount_all(self._new_key(row) for row in wanted[len(keys) :])
        elif len(keys) > len(wanted):
            await self.remove_children(keys[len(wanted) :])

    def _new_key(self, row: Shown) -> FooterKey:
        key = FooterKey(
            row.key,
            row.display,
            row.description,
            row.action,
            disabled=not row.enabled,
            tooltip=row.tooltip,
        )
        # Born with the footer's style: a FooterKey starts compact and the binding then flips it,
        # two restyles of every key as the footer first fills (~8% of the first frame's work).
        key.set_reactive(FooterKey.compact, self.compact)
        return key.data_bind(compact=Footer.compact)


def _update(widget: FooterKey, row: Shown) -> None:
    """One mounted key made to show `row`; a repaint (and a layout, for a new width) only where
    something it shows changed."""
    now = Shown(
        widget.key,
        widget.key_display,
        widget.description,
        widget.action,
        not widget._disabled,
        str(widget.tooltip or ""),
    )
    if now == row:
        return
    widget.key, widget.action = row.key, row.action
    if (widget.key_display, widget.description) != (row.display, row.description):
        widget.key_display, widget.description = row.display, row.description
        widget.refresh(layout=True)
    if widget._disabled == row.enabled:
        widget._disabled = not row.enabled
        widget.set_class(widget._disabled, "-disabled")
    if now.tooltip != row.tooltip:
        widget.tooltip = row.tooltip or None

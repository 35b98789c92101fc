"""The app's own screens and the palette: help, the first-run welcome and the starter
curriculum, the theme (chosen, remembered, checked at start), and the command palette's entries
(every command with its keys, the open screen's and area's own)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.theme import Theme

from deskwork.services import THEME
from deskwork.ui.commands import Command
from deskwork.ui.desk_areas import PANE_ORDER
from deskwork.ui.keymap import effective_keys, key_label
from deskwork.ui.themes import DEFAULT_THEME
from deskwork.ui.warm_up import WarmsUp
from deskwork.ui.widgets.pane import Pane

# Textual's own palette entries that deskwork's commands replace (theme, quit, keys, zoom).
_OURS = {"Theme", "Quit", "Keys", "Maximize", "Minimize"}


class HelpAndThemes(WarmsUp):
    """The part of the app that shows help, the welcome, the palette and the themes."""

    commands: tuple[Command, ...]
    keymap: dict[str, str]
    starter_available: bool
    startup_notes: list[str]

    def action_help(self) -> None:
        from deskwork.ui.screens.help import HelpScreen  # screens load when first shown

        rows = [(c, effective_keys(c, self.keymap)) for c in self.commands]
        self.push_screen(HelpScreen(rows))

    def action_welcome(self) -> None:
        from deskwork.ui.screens.welcome import WelcomeScreen

        labels = {c.id: key_label(effective_keys(c, self.keymap)) for c in self.commands}
        self.push_screen(WelcomeScreen(self.starter_available, labels), self._welcome_done)

    def _welcome_done(self, choice: str | None) -> None:
        if not self.desk.store.readonly:
            self.desk.finish_welcome()
        if choice == "starter":
            self.load_starter()
        self.refresh_panes()

    def load_starter(self) -> None:
        """The starter curriculum from the seeds (fast.ai, MIT 18.06, CS231n, …)."""
        from deskwork.services.curriculum import load_starter

        _, said = load_starter(self.desk)
        self.notify(
            f"{said} Pick today's with space in the "
            "queue; F7 shows the whole curriculum, Ctrl+Y the plan against your time.",
            title="Starter curriculum",
            timeout=10,
        )

    def action_pick_theme(self) -> None:
        self.action_change_theme()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        offered: set[str] = set()
        for command in self.commands:
            keys = effective_keys(command, self.keymap)
            if command.action.startswith("app.") and command.action[4:] in offered:
                continue  # an area's key for an app command: the palette lists it once
            offered.add(command.action)
            target: App[int] | Pane | Screen[object] = self
            if command.scope in PANE_ORDER:
                target = self._pane(command.scope)
            elif command.scope:
                if getattr(screen, "command_scope", None) != command.scope:
                    continue  # the keys of a screen that is not open
                target = screen
            if command.scope and target.check_action(command.action, ()) is False:
                continue
            yield SystemCommand(
                command.title,
                f"{command.help}  [{keys}]",
                partial(self.run_action, command.action, target),
            )
        for system in super().get_system_commands(screen):
            if system.title not in _OURS:
                yield system

    # ------------------------------------------------------------------ themes
    def _initial_theme(self) -> str:
        chosen = self.desk.store.setting(THEME) or self.desk.config.ui.theme
        if chosen not in self.available_themes:
            self.startup_notes.append(f"theme {chosen!r} is not available; using {DEFAULT_THEME}")
            chosen = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"
        return str(chosen)

    def _remember_theme(self, theme: Theme) -> None:
        store = self.desk.store
        if not store.readonly and store.setting(THEME) != theme.name:
            store.set_setting(THEME, theme.name)

"""Every user action is a command: a binding id (rebindable from `[keys]` in the config), default
keys (a second key where terminals swallow chords), a palette title and a line of help.

base: the Command type; app: keys that work everywhere; panes: the four areas' keys; screens: the
study screens' keys. ALL_COMMANDS is every one, in the order help lists them."""

from __future__ import annotations

from deskwork.ui.commands.app import APP_COMMANDS as APP_COMMANDS
from deskwork.ui.commands.base import Command as Command
from deskwork.ui.commands.panes import (
    DRAFT_COMMANDS as DRAFT_COMMANDS,
)
from deskwork.ui.commands.panes import (
    EDITOR_ACTIONS as EDITOR_ACTIONS,
)
from deskwork.ui.commands.panes import (
    LIST_ACTIONS as LIST_ACTIONS,
)
from deskwork.ui.commands.panes import (
    QUEUE_COMMANDS as QUEUE_COMMANDS,
)
from deskwork.ui.commands.panes import (
    REVIEW_COMMANDS as REVIEW_COMMANDS,
)
from deskwork.ui.commands.panes import (
    TIMER_COMMANDS as TIMER_COMMANDS,
)
from deskwork.ui.commands.screens import (
    BROWSER_COMMANDS as BROWSER_COMMANDS,
)
from deskwork.ui.commands.screens import (
    CURRICULUM_COMMANDS as CURRICULUM_COMMANDS,
)
from deskwork.ui.commands.screens import (
    DECK_COMMANDS as DECK_COMMANDS,
)
from deskwork.ui.commands.screens import (
    PRESET_COMMANDS as PRESET_COMMANDS,
)
from deskwork.ui.commands.screens import (
    RETENTION_COMMANDS as RETENTION_COMMANDS,
)

ALL_COMMANDS: tuple[Command, ...] = (
    APP_COMMANDS
    + TIMER_COMMANDS
    + QUEUE_COMMANDS
    + REVIEW_COMMANDS
    + BROWSER_COMMANDS
    + DECK_COMMANDS
    + PRESET_COMMANDS
    + RETENTION_COMMANDS
    + CURRICULUM_COMMANDS
    + DRAFT_COMMANDS
)

"""The commands that work everywhere: help, quit, the palette, moving between areas, opening the
study screens, the timer from any area."""

from __future__ import annotations

from deskwork.ui.commands.base import Command

APP_COMMANDS: tuple[Command, ...] = (
    Command("app.help", "question_mark,f1", "help", "Help", "Show every key and command"),
    Command("app.quit", "q,ctrl+q", "quit", "Quit", "Save everything and quit", priority=False),
    Command(
        "app.palette", "ctrl+p,colon", "command_palette", "Commands", "Open the command palette"
    ),
    # The pane keys are written on each pane's border, so the footer does not repeat them.
    Command(
        "pane.timer", "f2,alt+1", "focus_pane('timer')", "Timer", "Go to the pomodoro timer", False
    ),
    Command("pane.queue", "f3,alt+2", "focus_pane('queue')", "Queue", "Go to today's queue", False),
    Command(
        "pane.review", "f4,alt+3", "focus_pane('review')", "Review", "Go to flashcard review", False
    ),
    Command(
        "pane.draft", "f5,alt+4", "focus_pane('draft')", "Draft", "Go to the draft post", False
    ),
    Command(
        "pane.next", "tab", "focus_next_pane", "Next pane", "Move focus to the next pane", False
    ),
    Command(
        "pane.previous",
        "shift+tab",
        "focus_previous_pane",
        "Previous pane",
        "Move focus to the previous pane",
        False,
    ),
    Command("pane.zoom", "z,f11", "zoom", "Zoom", "Zoom the focused pane / back to all four"),
    Command(
        "app.theme", "f10", "pick_theme", "Theme", "Choose a theme (the choice is kept)", False
    ),
    Command(
        "app.curriculum",
        "f7",
        "curriculum",
        "Curriculum",
        "The whole curriculum: sort, filter, add, edit, pick for today",
        False,
    ),
    Command("app.plan", "ctrl+y", "plan", "Plan", "Planned points against your time", False),
    Command(
        "app.add_link",
        "ctrl+n,alt+n",  # a browser keeps Ctrl+N (new window) for itself: Alt+N in `deskwork serve`
        "add_link",
        "Add link",
        "Add a URL or an arXiv id to the curriculum (metadata fetched in the background)",
        False,
    ),
    Command(
        "app.arxiv_search",
        "ctrl+f",
        "arxiv_search",
        "arXiv search",
        "Search arXiv (newest first) and the watch list; add papers to the curriculum",
        False,
    ),
    Command(
        "cards.add",
        "ctrl+k,alt+k",
        "add_card",
        "Add card",
        "Quick capture: a flashcard from anywhere, its source prefilled",
        priority=True,  # from inside the draft editor too: the eureka moment is there
    ),
    Command(
        "cards.browse",
        "ctrl+e",
        "browse_cards",
        "Card browser",
        "Search cards (deck: tag: is:due is:new is:suspended), bulk edit, stats",
        False,
    ),
    Command(
        "cards.import",
        "alt+i",
        "import_cards",
        "Import cards (.apkg / .txt)",
        "Bring in an Anki package (.apkg, .colpkg) or plain text (.txt, .csv): notes, decks,"
        " presets, review history",
        False,
    ),
    Command(
        "cards.export",
        "alt+x",
        "export_cards",
        "Export cards (.apkg / .txt)",
        "Write every card to an Anki package (.apkg) or plain text (.txt)",
        False,
    ),
    Command(
        "cards.decks",
        "alt+d",
        "decks",
        "Decks",
        "Every deck with today's due counts; study one deck (and its subdecks)",
        False,
    ),
    Command(
        "cards.presets",
        "alt+o",
        "presets",
        "Deck presets",
        "Deck options presets: retention, FSRS parameters, steps, limits; assign decks",
        False,
    ),
    Command(
        "cards.optimize",
        # xterm-like terminals send Alt+F as ESC f, which Textual reads as Ctrl+Right (iTerm's
        # word jump): Alt+Shift+F (ESC F) arrives
        "alt+f,alt+shift+f",
        "optimize",
        "Optimize FSRS",
        "Fit FSRS parameters to your review history (every preset)",
        False,
    ),
    Command(
        "cards.retention",
        "alt+r",
        "retention",
        "Desired retention",
        "Simulate the coming year at each desired retention (minutes a day, cards remembered)",
        False,
    ),
    Command(
        "app.stats",
        "ctrl+d,alt+s",
        "stats",
        "Stats",
        "Am I on track? Focus, points, cards, drafts",
        False,
    ),
    Command(
        "app.day_end",
        "alt+e",
        "day_end",
        "End of day",
        "Done today, cards due tomorrow, a queue for tomorrow",
        False,
    ),
    Command(
        "app.weekly_review",
        "alt+w",
        "weekly_review",
        "Weekly review",
        "A new draft: the week's review in Markdown, with the real numbers",
        False,
    ),
    Command("app.welcome", "f12", "welcome", "Welcome", "Show the first-run welcome again", False),
    Command(
        "timer.toggle_anywhere",
        "f6",
        "timer('toggle')",
        "Start/pause timer",
        "Start, pause or resume the pomodoro timer from any area",
        priority=True,  # even inside the draft editor, whose own F6 would select a line
    ),
)

"""Every user action is a command: a binding id (rebindable from `[keys]` in the config), default
keys (a second key where terminals swallow chords), a palette title and a line of help."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Command:
    id: str
    keys: str
    action: str
    title: str
    help: str
    show: bool = True
    priority: bool = False
    scope: str = ""  # "" = the app; else the id of the pane whose keys these are

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.title,
            show=self.show,
            id=self.id,
            priority=self.priority,
        )


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
        "alt+f",
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


# Keys of the timer area (active while it has focus); all of them are in the palette too.
def _timer(id_: str, keys: str, action: str, title: str, help_: str, show: bool = True) -> Command:
    return Command(id_, keys, action, title, help_, show, scope="timer")


TIMER_COMMANDS: tuple[Command, ...] = (
    _timer(
        "timer.toggle",
        "space,enter",
        "app.timer('toggle')",
        "Start/pause",
        "Start, pause or resume",
    ),
    _timer("timer.skip", "s", "app.timer('skip')", "Skip", "End this phase now and go to the next"),
    _timer("timer.extend", "e,plus", "app.timer('extend')", "Extend", "Add time to this phase"),
    _timer("timer.interrupt", "i", "app.timer_interrupt", "Interruption", "Log an interruption"),
    _timer(
        "timer.abandon", "a", "app.timer_abandon", "Abandon", "Give up this phase (with a reason)"
    ),
    _timer(
        "timer.reset",
        "r",
        "app.timer_reset",
        "Reset",
        "Back to focus 1 of a new cycle (asks first while a focus is under way)",
    ),
    _timer(
        "timer.item",
        "o",
        "app.timer_item",
        "Timer item",
        "Put the timer on another item (the minutes from now on go to it)",
    ),
)


# Keys of today's queue (active while it has focus).
def _queue(id_: str, keys: str, action: str, title: str, help_: str, show: bool = True) -> Command:
    return Command(id_, keys, action, title, help_, show, scope="queue")


QUEUE_COMMANDS: tuple[Command, ...] = (
    _queue("queue.pick", "space", "pick", "Pick", "Add the item to today's queue / take it off"),
    _queue("queue.up", "ctrl+up,K", "move(-1)", "Up", "Move the item up today's queue", False),
    _queue(
        "queue.down", "ctrl+down,J", "move(1)", "Down", "Move the item down today's queue", False
    ),
    _queue(
        "queue.timer",
        "f",
        "timer_here",
        "Timer here",
        "Put the timer on this item (from now on; moving the cursor never does)",
    ),
    _queue("queue.unit", "u", "unit_done", "Unit done", "One more lecture / chapter / … done"),
    _queue("queue.edit", "e", "edit", "Edit", "Edit the item (all its fields)"),
    _queue(
        "queue.tomorrow", "t", "tomorrow", "Tomorrow", "Carry this item to tomorrow's queue", False
    ),
    _queue(
        "queue.carry_all",
        "T",
        "carry_all",
        "All to tomorrow",
        "Carry every unfinished item of today to tomorrow",
        False,
    ),
    _queue(
        "queue.leftovers",
        "b",
        "bring_leftovers",
        "Bring leftovers",
        "Bring earlier days' unfinished items into today",
        False,
    ),
    _queue("queue.add", "a", "app.add_link", "Add link", "Add a URL or an arXiv id"),
    _queue("queue.curriculum", "c", "app.curriculum", "Curriculum", "The whole curriculum"),
    _queue("queue.plan", "p", "app.plan", "Plan", "Plan against capacity", False),
    _queue("queue.search", "slash", "app.arxiv_search", "arXiv", "Search arXiv", False),
    _queue(
        "queue.refresh",
        "R",
        "app.refresh_metadata",
        "Refresh",
        "Fetch the metadata still pending (offline adds)",
        False,
    ),
)


# Keys of the review area.
def _review(id_: str, keys: str, action: str, title: str, help_: str, show: bool = True) -> Command:
    return Command(id_, keys, action, title, help_, show, scope="review")


REVIEW_COMMANDS: tuple[Command, ...] = (
    _review(
        "review.reveal",
        "space,enter",
        "reveal",
        "Show answer",
        "Show the answer (then Space = Good)",
    ),
    _review("review.again", "1", "grade(1)", "Again", "Answer: forgot", False),
    _review("review.hard", "2", "grade(2)", "Hard", "Answer: hard", False),
    _review("review.good", "3", "grade(3)", "Good", "Answer: good", False),
    _review("review.easy", "4", "grade(4)", "Easy", "Answer: easy", False),
    _review(
        "review.undo", "u,ctrl+z", "undo", "Undo", "Take back the last answer (several levels)"
    ),
    _review("review.bury", "b", "bury", "Bury", "Hide the card until the next study day"),
    _review(
        "review.suspend", "exclamation_mark,S", "suspend", "Suspend", "Suspend the card", False
    ),
    _review("review.flag", "f", "flag", "Flag", "Flag the card (again to clear)", False),
    _review("review.edit", "e", "edit", "Edit", "Edit the card in place (history kept)"),
    _review(
        "review.play", "p", "play", "Play", "Play the card's sound (the system's player)", False
    ),
    _review("review.cram", "c", "cram", "Cram", "Practice without touching the schedule", False),
    _review("review.decks", "d", "app.decks", "Decks", "The deck list: study one deck", False),
    _review("review.line_up", "up", "scroll_card(-1)", "Scroll up", "Scroll a long card", False),
    _review(
        "review.line_down", "down", "scroll_card(1)", "Scroll down", "Scroll a long card", False
    ),
    _review("review.page_up", "pageup", "scroll_card(-2)", "Page up", "A long card: up", False),
    _review(
        "review.page_down", "pagedown", "scroll_card(2)", "Page down", "A long card: down", False
    ),
    _review(
        "review.browse", "slash", "app.browse_cards", "Browse", "Search, bulk edit, stats", False
    ),
)


# Keys of the deck list (a screen of its own).
def _decks(id_: str, keys: str, action: str, title: str, help_: str) -> Command:
    return Command(id_, keys, action, title, help_, scope="decks")


DECK_COMMANDS: tuple[Command, ...] = (
    _decks("decks.study", "enter,s", "study", "Study", "Review only this deck and its subdecks"),
    _decks("decks.study_all", "a", "study_all", "Study all", "Review every deck again"),
    _decks("decks.options", "o", "options", "Preset", "This deck's preset (view, edit, change)"),
    _decks(
        "decks.limits", "l", "limits", "Deck limits", "This deck's own daily limits / retention"
    ),
    _decks("decks.close", "escape", "close", "Close", "Back to the desk"),
)


# Keys of the presets screen.
def _presets(id_: str, keys: str, action: str, title: str, help_: str) -> Command:
    return Command(id_, keys, action, title, help_, scope="presets")


PRESET_COMMANDS: tuple[Command, ...] = (
    _presets("presets.edit", "e,enter", "edit", "Edit", "Edit the preset's options"),
    _presets("presets.add", "n", "add", "New", "A new preset, a copy of the one selected"),
    _presets("presets.assign", "u", "assign", "Use for deck", "Study a deck with this preset"),
    _presets("presets.delete", "d,delete", "delete", "Delete", "Delete the preset (asks)"),
    _presets(
        "presets.optimize", "o", "optimize", "Optimize", "Fit its FSRS parameters to your history"
    ),
    _presets("presets.retention", "r", "retention", "Retention", "Simulate retentions; apply one"),
    _presets("presets.close", "escape", "close", "Close", "Back"),
)


# Keys of the retention screen (a preset's year simulated at each desired retention).
def _retention(id_: str, keys: str, action: str, title: str, help_: str) -> Command:
    return Command(id_, keys, action, title, help_, scope="retention")


RETENTION_COMMANDS: tuple[Command, ...] = (
    _retention("retention.left", "left", "move(-1)", "Lower", "A lower retention"),
    _retention("retention.right", "right", "move(1)", "Higher", "A higher retention"),
    _retention("retention.best", "b", "best", "Best", "The retention cheapest per card remembered"),
    _retention("retention.apply", "enter,a", "apply", "Apply", "Use this retention in the preset"),
    _retention("retention.close", "escape", "close", "Close", "Back"),
)


# Keys of the card browser (a screen of its own).
def _browser(id_: str, keys: str, action: str, title: str, help_: str) -> Command:
    return Command(id_, keys, action, title, help_, scope="browser")


BROWSER_COMMANDS: tuple[Command, ...] = (
    _browser("browser.search", "slash", "search", "Search", "Type a search"),
    _browser("browser.mark", "space", "mark", "Mark", "Mark / unmark the card"),
    _browser(
        "browser.mark_all", "a", "mark_all", "Mark all", "Mark every card shown (again: none)"
    ),
    _browser("browser.move", "m", "move", "Move", "Move the marked cards to a deck"),
    _browser("browser.tag", "t", "tag", "Tag", "Add (or -remove) tags on the marked cards"),
    _browser("browser.suspend", "s", "suspend", "Suspend", "Suspend / unsuspend the marked cards"),
    _browser("browser.delete", "d,delete", "delete", "Delete", "Delete the marked cards (asks)"),
    _browser("browser.edit", "e", "edit", "Edit", "Edit the card (Enter too)"),
    _browser("browser.import", "i", "import", "Import", "Import an Anki deck or plain text"),
    _browser("browser.export", "x", "export", "Export", "Export to .apkg (Anki) or .txt"),
    _browser("browser.close", "escape", "close", "Close", "Back to the desk"),
)


# Keys of the curriculum table (a screen of its own).
def _curriculum(id_: str, keys: str, action: str, title: str, help_: str) -> Command:
    return Command(id_, keys, action, title, help_, scope="curriculum")


CURRICULUM_COMMANDS: tuple[Command, ...] = (
    _curriculum("curriculum.new", "n", "new", "New", "Add an item through the form"),
    _curriculum("curriculum.edit", "e", "edit", "Edit", "Edit the item (Enter too)"),
    _curriculum("curriculum.delete", "d,delete", "delete", "Delete", "Delete the item (asks)"),
    _curriculum("curriculum.unit", "u", "unit_done", "Unit done", "One more unit done"),
    _curriculum("curriculum.today", "space", "today", "Today", "Pick for today / take it off"),
    _curriculum("curriculum.sort", "s", "sort", "Sort", "Sort by the next column"),
    _curriculum("curriculum.reverse", "S", "reverse", "Reverse", "Reverse the sort order"),
    _curriculum("curriculum.filter", "slash", "filter", "Filter", "Type a filter"),
    _curriculum("curriculum.add_link", "a", "app.add_link", "Add link", "A URL or an arXiv id"),
    _curriculum(
        "curriculum.refresh", "R", "app.refresh_metadata", "Refresh", "Fetch pending metadata"
    ),
    _curriculum(
        "curriculum.import", "i", "import_file", "Import", "Add items from a .csv or .md file"
    ),
    _curriculum(
        "curriculum.export", "x", "export_file", "Export", "Write the curriculum to .csv, .md, .bib"
    ),
    _curriculum("curriculum.close", "escape", "close", "Close", "Back to the desk"),
)


# Keys of the draft area: some for the list of drafts, some for the editor.
def _draft(id_: str, keys: str, action: str, title: str, help_: str, show: bool = True) -> Command:
    return Command(id_, keys, action, title, help_, show, scope="draft")


DRAFT_COMMANDS: tuple[Command, ...] = (
    _draft("draft.new", "n", "new_draft", "New draft", "Start a new draft post"),
    _draft(
        "draft.meta",
        "m,ctrl+t",
        "edit_meta",
        "Metadata",
        "Title, slug, status, tags, category, summary",
    ),
    # A browser tab (`deskwork serve`) never receives Ctrl+T (new tab). Alt+M reaches the editor, but
    # it types an "m" there unless it is a priority binding: hence a command of its own.
    Command(
        "draft.meta_alt",
        "alt+m",
        "edit_meta",
        "Metadata (Alt+M)",
        "Metadata from the list or the editor (in a browser, where Ctrl+T opens a tab)",
        show=False,
        priority=True,
        scope="draft",
    ),
    _draft(
        "draft.delete",
        "d,delete",
        "delete_draft",
        "Delete",
        "Move the draft to the trash (30 days)",
    ),
    _draft("draft.trash", "t", "toggle_trash", "Trash", "Show the trash / the drafts"),
    _draft("draft.restore", "u", "restore_draft", "Restore", "Take the draft out of the trash"),
    _draft(
        "draft.export",
        "x,ctrl+o",
        "export_draft",
        "Export",
        "Write <slug>.md (flavour and folder from the config)",
    ),
    _draft(
        "draft.close", "escape", "close_editor", "Close", "Save and go back to the list of drafts"
    ),
    _draft(
        "draft.save", "ctrl+s", "save_draft", "Save", "Save now (autosave runs anyway)", show=False
    ),
    _draft(
        "draft.preview", "ctrl+g", "toggle_preview", "Preview", "Show / hide the rendered Markdown"
    ),
    _draft("draft.zen", "f8", "zen", "Zen", "The editor alone, full screen (Esc returns)"),
    _draft("draft.external", "f9", "external_editor", "$EDITOR", "Edit in $EDITOR, then reload"),
    _draft(
        "draft.revisions",
        "ctrl+r",
        "revisions",
        "Revisions",
        "Compare with and restore earlier text",
    ),
    _draft(
        "draft.cite",
        "ctrl+l",
        "cite_selected",
        "Cite",
        "Link the selected queue item and list it as a source",
    ),
    _draft(
        "draft.cite_card",
        "ctrl+b",
        "cite_card",
        "Cite card",
        "Find a flashcard, list it as a source",
    ),
)
LIST_ACTIONS = {"new_draft", "delete_draft", "toggle_trash", "restore_draft"}
EDITOR_ACTIONS = {
    "close_editor", "save_draft", "toggle_preview", "zen", "external_editor", "revisions",
    "cite_selected", "cite_card",
}  # fmt: skip

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

"""The keys of the four areas (timer, today's queue, review, draft), active while the area has
focus; every one is in the palette too."""

from __future__ import annotations

from deskwork.ui.commands.base import Command


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
        "review.card_start",
        "home",
        "scroll_card(-3)",
        "Card start",
        "A long card: its start",
        False,
    ),
    _review("review.card_end", "end", "scroll_card(3)", "Card end", "A long card: its end", False),
    _review(
        "review.browse", "slash", "app.browse_cards", "Browse", "Search, bulk edit, stats", False
    ),
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
    # Ctrl+Home / Ctrl+End (Textual's TextArea binds neither); VS Code's terminal keeps them to
    # scroll and Windows Terminal keeps Ctrl+Shift+Home / End: Alt+Home / Alt+End as well.
    _draft(
        "draft.document_start",
        "ctrl+home,alt+home",
        "document_start",
        "Draft start",
        "The cursor to the start of the draft",
        False,
    ),
    _draft(
        "draft.document_end",
        "ctrl+end,alt+end",
        "document_end",
        "Draft end",
        "The cursor to the end of the draft",
        False,
    ),
    _draft(
        "draft.select_to_start",
        "ctrl+shift+home,alt+shift+home",
        "document_start(True)",
        "Select to draft start",
        "Select from the cursor to the start of the draft",
        False,
    ),
    _draft(
        "draft.select_to_end",
        "ctrl+shift+end,alt+shift+end",
        "document_end(True)",
        "Select to draft end",
        "Select from the cursor to the end of the draft",
        False,
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
    "cite_selected", "cite_card", "document_start", "document_end",
}  # fmt: skip

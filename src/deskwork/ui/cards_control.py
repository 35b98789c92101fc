"""Glue between the flashcard services and the app: quick capture ("Ankify") from any area with
its source prefilled, editing a card in place, importing / exporting decks in a worker thread with
a progress bar, the card browser."""

from __future__ import annotations

import contextlib
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from deskwork.domain.cards import Card, NoteType
from deskwork.domain.text import clean
from deskwork.domain.wording import error_sentence, plural
from deskwork.interop import InteropError
from deskwork.ui.serving import where

# The card use-cases, the text area and the rendering are imported where used (and, in the app,
# by the worker that loads the cards): the first frame shows none of them.
if TYPE_CHECKING:
    from collections.abc import Callable

    from deskwork.services import Desk
    from deskwork.services.anki import ExportJob, ImportReport
    from deskwork.services.cards import ReviewSession
    from deskwork.ui.host import DeskHost
    from deskwork.ui.screens.card_dialogs import CardDraft, ProgressScreen


class CardsControl:
    def __init__(self, app: DeskHost) -> None:
        self.app = app
        self.exporting = False  # an export's worker is running (one at a time)
        self.importing = False  # an import's worker is running (one at a time)

    @property
    def desk(self) -> Desk:
        return self.app.desk

    def _writable(self) -> bool:
        if not self.app.writable():
            return False
        if not self.desk.store.cards.loaded:
            self.app.notify(
                "The cards are still loading; try again in a moment", severity="warning"
            )
            return False
        return True

    def changed(self, session: ReviewSession | None = None) -> None:
        """Cards changed (an import, a command from outside): the review and an open browser
        show the new state. `session`: the review's new queue, built on a worker already (built
        before the study day turned, it is built again there: yesterday's limits)."""
        if session is not None and session.day == self.desk.today():
            self.app.review_pane.restart(session=session)
        else:
            self.app.review_pane.restart_in_background()
        self._browsers_reload()

    def _browsers_reload(self) -> None:
        """An open card browser searches again: its rows, and the cards its `x` exports, are the
        cards as they are now."""
        from deskwork.ui.screens.card_browser import CardBrowserScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, CardBrowserScreen):
                screen.reload()
                screen.show_stats()

    # ------------------------------------------------------------------ quick capture
    def source(self) -> tuple[dict[str, int], str, str]:
        """(card fields, label, selected text) for the card being captured: the draft open in the
        editor (and its selection) when the editor has focus, else the selected queue item."""
        from textual.widgets import TextArea

        pane = self.app.draft_pane
        focused = self.app.focused
        if (
            pane.editing is not None
            and isinstance(focused, TextArea)
            and focused.id == "draft-text"
        ):
            draft = pane.editing
            label = f"draft “{clean(draft.title, single_line=True)}”"
            return {"source_draft": draft.id}, label, focused.selected_text
        item = self.app.selected_queue_item()
        if item is not None:
            return {"source_item": item.id}, clean(item.title, single_line=True), ""
        return {}, "", ""

    def offered_deck(self) -> str:
        """The deck quick capture offers: the deck being studied, as Anki's Add defaults to the
        current deck; studying every deck, the deck of the card on screen (Anki's Add from the
        reviewer); with no card shown, the last one a card was added to (then the default)."""
        from deskwork.services import cards as card_service

        review = self.app.review_pane
        if review.studied_deck:
            return review.studied_deck
        shown = review.current()
        if shown is not None:
            return shown.deck
        return card_service.last_deck(self.desk)

    def add(self) -> None:
        from deskwork.services import cards as card_service
        from deskwork.services import notes
        from deskwork.ui.screens.card_dialogs import CardDraft, CardScreen

        if any(isinstance(screen, CardScreen) for screen in self.app.screen_stack):
            self.app.notify("A card is open already: Ctrl+S saves it, Esc closes it", timeout=3)
            return  # a second one on top hid the first, still open underneath
        if not self._writable():
            return
        extra, label, selected = self.source()
        last = self.offered_deck()

        def save(draft: CardDraft) -> str:
            try:
                cards = card_service.add_note(
                    self.desk, draft.note_type, draft.fields, draft.deck or last, draft.tags,
                    **extra,
                )  # fmt: skip
            except ValueError as exc:  # a pydantic ValidationError too: one sentence
                return error_sentence(exc)
            self.changed()
            self.app.notify(
                f"Added {len(cards)} card{'s' if len(cards) > 1 else ''} to {cards[0].deck}",
                markup=False,
                timeout=3,
            )
            return ""

        initial = CardDraft(NoteType.BASIC, [selected], last, [])
        self.app.push_screen(
            CardScreen(
                "New flashcard",
                initial,
                card_service.decks(self.desk),
                save,
                label,
                notetypes=notes.notetypes(self.desk),
            )
        )

    def edit(self, card: Card) -> None:
        from deskwork.domain.render import fallback_type
        from deskwork.services import cards as card_service
        from deskwork.services import notes
        from deskwork.ui.screens.card_dialogs import CardDraft, CardScreen

        def save(draft: CardDraft) -> str:
            if not any(draft.fields):
                return "every field is empty"
            review = self.app.review_pane.session
            current = review.current() if review else None
            try:
                if review is not None and current is not None and current.id == card.id:
                    review.edit(draft.fields, draft.deck, draft.tags)
                else:
                    card_service.edit_note(self.desk, card, draft.fields, draft.deck, draft.tags)
            except ValueError as exc:  # a deck name of nothing ('::'): said, nothing written
                return error_sentence(exc)
            self.app.review_pane.render_card()
            # An edit from the browser: its rows (and a search's export) were the note as before
            self._browsers_reload()
            return ""

        types = notes.notetypes(self.desk)
        initial = CardDraft(card.note_type, list(card.fields), card.deck, list(card.tags))
        heading = "Edit note (every card keeps its schedule and history)"
        self.app.push_screen(
            CardScreen(
                heading,
                initial,
                card_service.decks(self.desk),
                save,
                editing=True,
                notetypes=types
                if card.note_type in types
                else {card.note_type: fallback_type(card)},
            )
        )

    # ------------------------------------------------------------------ files
    def _transfer_running(self) -> bool:
        """One import or export at a time: a second one is refused, said in a toast."""
        running = "An import" if self.importing else "An export" if self.exporting else ""
        if running:
            self.app.notify(f"{running} is running already", severity="warning", timeout=4)
        return bool(running)

    def import_deck(self) -> None:
        from deskwork.ui.screens.card_dialogs import TransferScreen

        if not self._transfer_running() and self._writable():
            self.app.push_screen(
                TransferScreen(
                    "Import flashcards: an Anki package or plain text",
                    "path to .apkg, .colpkg, .txt or .csv",
                    suffixes=(".apkg", ".colpkg", ".txt", ".csv", ".tsv"),
                    must_exist=True,
                ),
                self._import_chosen,
            )

    def _import_chosen(self, choice: tuple[str, str] | None) -> None:
        from deskwork.ui.screens.card_dialogs import ProgressScreen

        if choice is None or self._transfer_running():
            return
        path, deck = Path(choice[0]).expanduser(), choice[1]
        progress = ProgressScreen(f"Reading {path.name}…")
        self.importing = True
        work = partial(self._import_work, path, deck, progress)
        self._run_transfer(progress, work, "cards-import", "import cards")

    def _import_work(self, path: Path, deck: str, progress: ProgressScreen) -> None:
        """The whole import on a worker thread: reading the file and writing it (the store's
        write lock keeps it one writer with the UI thread's grades). Cancelled (the dialog's
        key, or the app quitting) before the write: nothing is saved."""
        from textual.worker import get_current_worker

        from deskwork.domain.cancel import Cancelled
        from deskwork.services.anki import import_deck, read_file, release
        from deskwork.store.store import StoreError

        worker = get_current_worker()

        def cancelled() -> bool:
            return worker.is_cancelled or progress.cancel_requested.is_set()

        def advance(done: int, total: int) -> None:
            if cancelled():
                raise Cancelled("cancelled: nothing was saved")
            self.app.call_from_thread(progress.advance, done, total)

        try:
            read = read_file(path, self.desk, deck, advance)
            if cancelled():
                raise Cancelled("cancelled: nothing was saved")
            self.app.call_from_thread(progress.phase, f"Saving {path.name}…")
            try:
                report = import_deck(self.desk, read, advance, cancelled)
            finally:
                release(read)
        except Cancelled:
            self.app.call_from_thread(self._import_cancelled, progress, path)
            return
        except (InteropError, StoreError) as exc:
            self.app.call_from_thread(self._import_failed, progress, str(exc))
            return
        session = self.app.review_pane.next_session()  # today's queue, off the UI thread too
        self.app.call_from_thread(self._import_done, progress, path, report, session)

    def _import_done(
        self, progress: ProgressScreen, path: Path, report: ImportReport, session: ReviewSession
    ) -> None:
        self.importing = False
        progress.close()
        self.changed(session)
        self.app.notify(_summary(report.lines()), title=path.name, markup=False, timeout=10)
        if report.reviews:  # history came in: the stats' months it changed, counted ahead
            from deskwork.services.insight import count_ahead

            desk = self.desk
            self.app.run_worker(
                lambda: count_ahead(desk), thread=True, group="stats-ahead", name="count stats"
            )

    def _import_cancelled(self, progress: ProgressScreen, path: Path) -> None:
        self.importing = False
        progress.close()
        self.app.notify(
            f"Import of {path.name} cancelled: nothing was saved", markup=False, timeout=6
        )

    def _import_failed(self, progress: ProgressScreen, message: str) -> None:
        self.importing = False
        progress.close()
        self.app.notify(
            message,  # it names the file and ends "nothing imported"
            title="Import refused",
            severity="error",
            markup=False,
            timeout=15,
        )

    def export_deck(self, deck: str = "") -> None:
        from deskwork.ui.screens.card_dialogs import TransferScreen

        if self._transfer_running():
            return
        folder = self.desk.paths.exports_dir
        self.app.push_screen(
            TransferScreen(
                f"Export flashcards (a bare name goes to {folder})",
                "path ending in .apkg (for Anki) or .txt",
                suffixes=(".apkg", ".txt"),
                initial=str(folder / "deskwork-cards.apkg"),
                export_folder=folder,
                deck=deck,
            ),
            self._export_chosen,
        )

    def export_search(self, cards: list[Card], query: str) -> None:
        """The export dialog for `cards`, the card browser's search `query` (not a plain deck:
        the dialog says which cards it writes, and asks for no deck)."""
        shown = clean(query, single_line=True)
        what = f"the {plural(len(cards), 'card')} of the search “{shown}”"
        self._export_some(what, "deskwork-search.apkg", partial(self._export_chosen, cards=cards))

    def export_marked(self, ids: frozenset[int]) -> None:
        """The export dialog for the card browser's marked cards (`ids`: every one, drawn in its
        table or not); the worker looks them up in the store's moment (services/anki.export_job)."""
        what = f"the {plural(len(ids), 'marked card')}"
        self._export_some(what, "deskwork-marked.apkg", partial(self._export_chosen, ids=ids))

    def _export_some(
        self, what: str, name: str, chosen: Callable[[tuple[str, str] | None], None]
    ) -> None:
        """The export dialog for some cards (`what` they are), no deck asked."""
        from deskwork.ui.screens.card_dialogs import TransferScreen

        if self._transfer_running():
            return
        folder = self.desk.paths.exports_dir
        self.app.push_screen(
            TransferScreen(
                f"Export {what} (a bare name goes to {folder})",
                "path ending in .apkg (for Anki) or .txt",
                suffixes=(".apkg", ".txt"),
                initial=str(folder / name),
                export_folder=folder,
                ask_deck=False,
            ),
            chosen,
        )

    def _export_chosen(
        self,
        choice: tuple[str, str] | None,
        cards: list[Card] | None = None,
        ids: frozenset[int] | None = None,
    ) -> None:
        """The store's part of the export taken now (a snapshot of the cards), the rest (the
        review history, the collection, the zip) on a worker thread under a progress bar: the
        desk and its timer run on meanwhile. `cards`: a search's, in place of a deck's; `ids`:
        the browser's marked cards."""
        from deskwork.services.anki import export_job
        from deskwork.ui.screens.card_dialogs import ProgressScreen
        from deskwork.ui.widgets.paths import export_target

        if choice is None or self._transfer_running():
            return
        try:
            path = export_target(choice[0], self.desk.paths.exports_dir)
            job = export_job(self.desk, path, choice[1], cards=cards, ids=ids)
        except (InteropError, OSError) as exc:
            self.app.notify(str(exc), title="Export refused", severity="error", markup=False)
            return
        progress = ProgressScreen(f"Writing {path.name}…", hint="esc: cancel (nothing is written)")
        self.exporting = True
        work = partial(self._export_work, job, path, progress)
        self._run_transfer(progress, work, "cards-export", "export cards")

    def _run_transfer(
        self, progress: ProgressScreen, work: Callable[[], None], group: str, name: str
    ) -> None:
        """An import's or export's `work` on a worker thread under its progress bar."""
        self.app.push_screen(progress)
        self.app.run_worker(work, thread=True, group=group, name=name)

    def _export_work(
        self,
        job: ExportJob,
        path: Path,
        progress: ProgressScreen,
    ) -> None:
        """The export on a worker thread. Cancelled (the dialog's key, the app quitting) before
        the rename, or failed: no file, and the temp files are gone (the writer's atomic write)."""
        from textual.worker import get_current_worker

        from deskwork.domain.cancel import Cancelled

        worker = get_current_worker()

        def advance(done: int, total: int) -> None:
            if worker.is_cancelled or progress.cancel_requested.is_set():
                raise Cancelled("cancelled: nothing was written")
            self.app.call_from_thread(progress.advance, done, total)

        def phase(heading: str) -> None:
            self.app.call_from_thread(progress.phase, heading)

        try:
            notes, cards = job(advance, phase)
        except Cancelled:
            message, severity = f"Export to {where(path)} cancelled: nothing was written", "info"
        except Exception as exc:  # a disk full, a bad file: said, not a crash
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            message, severity = f"{where(path)} was not written: {reason}", "error"
        else:
            message = f"Wrote {plural(notes, 'note')}, {plural(cards, 'card')} to {where(path)}"
            severity = "info"
        with contextlib.suppress(RuntimeError):  # the app quit meanwhile: nobody to tell
            self.app.call_from_thread(self._export_ended, progress, message, severity)

    def _export_ended(self, progress: ProgressScreen, message: str, severity: str) -> None:
        self.exporting = False
        progress.close()
        self.app.notify(
            message,
            title="Export failed" if severity == "error" else "",
            severity="error" if severity == "error" else "information",
            markup=False,
            timeout=15 if severity == "error" else 8,
        )

    def browse(self) -> None:
        from deskwork.ui.screens.card_browser import CardBrowserScreen

        if self.desk.store.cards.loaded:
            self.app.push_screen(CardBrowserScreen())
        else:
            self.app.notify("The cards are still loading; try again in a moment")


def _summary(lines: list[str]) -> str:
    """The import's summary for a toast: its first line capitalised."""
    text = "\n".join(lines)
    return text[:1].upper() + text[1:]

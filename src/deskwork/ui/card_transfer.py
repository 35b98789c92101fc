"""Importing and exporting flashcards in the TUI: the file dialogs, the work on a worker thread
under a progress bar (cancelled or failed: nothing saved, nothing written), one transfer at a
time, and the toast that says how it ended. The cards control (ui/cards_control.py) holds one."""

from __future__ import annotations

import contextlib
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from deskwork.domain.text import clean
from deskwork.domain.wording import plural
from deskwork.interop import InteropError
from deskwork.ui.serving import where

if TYPE_CHECKING:
    from collections.abc import Callable

    from deskwork.domain.cards import Card
    from deskwork.services import Desk
    from deskwork.services.anki import ExportJob, ImportReport
    from deskwork.services.review_session import ReviewSession
    from deskwork.ui.cards_control import CardsControl
    from deskwork.ui.host import DeskHost
    from deskwork.ui.screens.card_dialogs import ProgressScreen


class CardTransfer:
    def __init__(self, app: DeskHost, cards: CardsControl) -> None:
        self.app = app
        self.cards = cards  # whether cards may be written now; what follows an import
        self.exporting = False  # an export's worker is running (one at a time)
        self.importing = False  # an import's worker is running (one at a time)

    @property
    def desk(self) -> Desk:
        return self.app.desk

    def _transfer_running(self) -> bool:
        """One import or export at a time: a second one is refused, said in a toast."""
        running = "An import" if self.importing else "An export" if self.exporting else ""
        if running:
            self.app.notify(f"{running} is running already", severity="warning", timeout=4)
        return bool(running)

    def import_deck(self) -> None:
        from deskwork.ui.screens.card_dialogs import TransferScreen

        if not self._transfer_running() and self.cards.writable():
            self.app.push_screen(
                TransferScreen(
                    "Import flashcards: an Anki package or plain text",
                    "path to .apkg, .colpkg, .txt or .csv",
                    suffixes=(".apkg", ".colpkg", ".txt", ".csv", ".tsv"),
                    must_exist=True,
                    look_in=self.desk.paths.exports_dir,  # where an export's bare name went
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
        self.cards.changed(session)
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
        """The export dialog, its deck field filled with `deck`."""
        self._export_dialog("flashcards", "deskwork-cards.apkg", self._export_chosen, deck=deck)

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
        self._export_dialog(what, name, chosen, ask_deck=False)

    def _export_dialog(
        self,
        what: str,
        name: str,
        chosen: Callable[[tuple[str, str] | None], None],
        *,
        deck: str = "",
        ask_deck: bool = True,
    ) -> None:
        """The export dialog for `what`, offering `name` in the exports folder (unless a
        transfer is running)."""
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
                deck=deck,
                ask_deck=ask_deck,
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


def _summary(lines: list[str]) -> str:
    """The import's summary for a toast: its first line capitalised."""
    text = "\n".join(lines)
    return text[:1].upper() + text[1:]

"""Glue between the curriculum services and the app: the add-link dialog, metadata fetched in
worker threads (the UI and the timer never wait for the network), the item form, and the
curriculum, plan and arXiv screens."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.worker import get_current_worker

from deskwork.domain.curriculum import Item
from deskwork.domain.text import clean
from deskwork.domain.wording import plural
from deskwork.services import queue as queue_service
from deskwork.ui.serving import where

if TYPE_CHECKING:
    from deskwork.services.links import Links
    from deskwork.sources.arxiv import Paper
    from deskwork.sources.http import SourceError
    from deskwork.ui.host import DeskHost


def _title(item: Item) -> str:
    return clean(item.title, single_line=True)


class CurriculumControl:
    def __init__(self, app: DeskHost) -> None:
        self.app = app
        self._links: Links | None = None
        self.changed_callbacks: list[Callable[[], None]] = []

    @property
    def links(self) -> Links:
        if self._links is None:
            from deskwork.services.links import Links

            self._links = Links(self.app.desk)
        return self._links

    def close(self) -> None:
        if self._links is not None:
            self._links.close()

    def writable(self) -> bool:
        return self.app.writable()

    def changed(self, *, queue_only: bool = False) -> None:
        """Something in the curriculum changed: every view of it shows the new state.
        `queue_only`: only picks or progress changed, so the other areas need no refresh."""
        if queue_only:
            self.app.queue_pane.refresh_items()
        else:
            self.app.refresh_panes()
        for callback in list(self.changed_callbacks):
            callback()

    # ------------------------------------------------------------------ links
    def add_link(self) -> None:
        from deskwork.ui.screens.curriculum_dialogs import AddLinkScreen

        if self.writable():
            self.app.push_screen(AddLinkScreen(), self._add_text)

    def _add_text(self, text: str | None) -> None:
        from deskwork.services.links import LinkError

        if not text:
            return
        try:
            item, created = self.links.save(text)
        except LinkError as exc:
            self.app.notify(str(exc), severity="error", markup=False)
            return
        self.changed()
        if not created:
            self.app.notify(f"Already in the curriculum: {_title(item)}", markup=False)
            return
        self.app.notify(f"Added; fetching its details… ({item.url})", markup=False, timeout=4)
        self.fetch([item])

    def refresh_metadata(self) -> None:
        if not self.writable():
            return
        pending = self.links.pending()
        if not pending:
            self.app.notify("No item is waiting for its metadata")
            return
        self.app.notify(f"Fetching the metadata of {plural(len(pending), 'item')}…", timeout=4)
        self.fetch(pending)

    def fetch(self, items: list[Item]) -> None:
        """Each item's metadata, one after the other, in a worker thread. Without a connection it
        stops at the first failure (the others would only wait for theirs); several items end
        with one summary toast instead of one per item."""
        from deskwork.sources.http import SourceError

        links = self.links
        quiet = len(items) > 1

        def work() -> None:
            worker = get_current_worker()
            fetched, errors, untried = 0, [], 0
            for n, item in enumerate(items):
                if worker.is_cancelled:
                    return
                try:
                    fields = links.fetch(item)
                except Exception as exc:  # a bug must not take the desk down; the item is saved
                    error = (
                        exc
                        if isinstance(exc, SourceError)
                        else SourceError(f"{item.url}: {type(exc).__name__}: {exc}")
                    )
                    errors.append(error)
                    self.app.call_from_thread(self._failed, item, error, quiet)
                    if error.offline:
                        untried = len(items) - n - 1
                        break
                else:
                    fetched += 1
                    self.app.call_from_thread(self._fetched, item, fields, quiet)
            if quiet:
                self.app.call_from_thread(self._summary, len(items), fetched, errors, untried)

        self.app.run_worker(work, thread=True, group="links", name="fetch metadata")

    def _fetched(self, item: Item, fields: dict[str, Any], quiet: bool = False) -> None:
        if self.app.desk.store.closed:
            return
        updated = self.links.apply(item.id, fields)
        if updated is not None:
            self.changed()
            if not quiet:
                self.app.notify(_title(updated), title="Details fetched", markup=False)

    def _failed(self, item: Item, error: SourceError, quiet: bool = False) -> None:
        if self.app.desk.store.closed:
            return
        self.links.failed(item.id, error)
        self.changed()
        if not quiet:
            self.app.notify(
                f"{error}\nSaved with its link; R in the queue (or `deskwork queue refresh`) "
                "retries.",
                title="Metadata pending",
                severity="warning",
                markup=False,
                timeout=10,
            )

    def _summary(self, total: int, fetched: int, errors: list[SourceError], untried: int) -> None:
        """One toast for a refresh of several items."""
        if not errors:
            self.app.notify(f"Fetched the details of all {plural(total, 'item')}", markup=False)
            return
        waiting = total - fetched
        offline = any(e.offline for e in errors)
        head = "No connection" if offline else f"Fetched {fetched} of {total}"
        self.app.notify(
            f"{head}: {waiting} {'item' if waiting == 1 else 'items'} still waiting for "
            f"details ({errors[0]}). R in the queue retries.",
            title="Metadata pending",
            severity="warning",
            markup=False,
            timeout=10,
        )

    def add_paper(self, paper: Paper) -> None:
        if not self.writable():
            return
        item, created = self.links.add_paper(paper)
        self.changed()
        verb = "Added" if created else "Already in the curriculum"
        self.app.notify(f"{verb}: {_title(item)}", markup=False)

    # ------------------------------------------------------------------ items
    def edit(self, item_id: int | None) -> None:
        """The item form: a new item (None) or an existing one."""
        from deskwork.ui.screens.curriculum_dialogs import FORM_LABELS, ItemFormScreen

        if not self.writable():
            return
        item = self.app.desk.store.items.get(item_id) if item_id is not None else None
        if item_id is not None and item is None:
            return

        def save(values: dict[str, Any]) -> str:
            try:
                saved = queue_service.save_form(self.app.desk, item_id, values, FORM_LABELS)
            except queue_service.ItemInvalid as exc:
                return str(exc)
            self.changed()
            self.app.notify(f"Saved: {_title(saved)}", markup=False, timeout=3)
            return ""

        self.app.push_screen(ItemFormScreen(item, save))

    def delete(self, item_id: int) -> None:
        from deskwork.ui.screens.draft_dialogs import ConfirmScreen

        item = self.app.desk.store.items.get(item_id)
        if item is None or not self.writable():
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                timer_moved = queue_service.delete(self.app.desk, item_id)
                if timer_moved:
                    self.app.reload_timer()
                self.changed()
                after = ". The timer is on no item now" if timer_moved else ""
                self.app.notify(f"Deleted: {_title(item)}{after}", markup=False)

        question = f"Delete “{_title(item)}” from the curriculum?"
        if queue_service.timer_on(self.app.desk, item_id):
            question += (
                " The timer is on it: the minutes focused on it so far stay with it, and the timer"
                " goes to no item."
            )
        self.app.push_screen(ConfirmScreen(f"{question} (y/n)"), confirmed)

    # ------------------------------------------------------------------ files
    def import_file(self) -> None:
        from deskwork.ui.screens.draft_dialogs import PromptScreen

        if not self.writable():
            return

        def chosen(path: str | None) -> None:
            from pathlib import Path

            from deskwork.interop import InteropError
            from deskwork.services.curriculum import import_file_noting

            if not path:
                return
            try:
                added, notes = import_file_noting(self.app.desk, Path(path).expanduser())
            except InteropError as exc:
                self.app.notify(str(exc), severity="error", markup=False, timeout=15)
                return
            self.changed()
            said = f"Added {plural(len(added), 'item')} (titles already there are skipped)"
            self.app.notify("\n".join([said, *notes]), markup=False, timeout=15 if notes else 5)

        self.app.push_screen(
            PromptScreen(
                "Import curriculum items from a CSV file or a Markdown table:",
                "path to .csv or .md",
                path_suffixes=(".csv", ".md"),
                must_exist=True,
                look_in=self.app.desk.paths.exports_dir,  # where its export's bare name went
            ),
            chosen,
        )

    def export_file(self) -> None:
        from deskwork.ui.screens.draft_dialogs import PromptScreen
        from deskwork.ui.widgets.paths import export_target

        folder = self.app.desk.paths.exports_dir

        def chosen(path: str | None) -> None:
            from deskwork.interop import InteropError
            from deskwork.services.curriculum import export_file

            if not path:
                return
            try:
                target = export_target(path, folder)
                count = export_file(self.app.desk, target)
            except (InteropError, OSError) as exc:
                self.app.notify(str(exc), severity="error", markup=False)
                return
            self.app.notify(f"Wrote {plural(count, 'item')} to {where(target)}", markup=False)

        self.app.push_screen(
            PromptScreen(
                f"Export the curriculum to (a bare name goes to {folder}):",
                "path ending in .csv, .md or .bib (papers)",
                path_suffixes=(".csv", ".md", ".bib"),
                initial=str(folder / "curriculum.csv"),
            ),
            chosen,
        )

    # ------------------------------------------------------------------ screens
    def open_curriculum(self) -> None:
        from deskwork.ui.screens.curriculum import CurriculumScreen

        self.app.push_screen(CurriculumScreen())

    def open_plan(self) -> None:
        from deskwork.ui.screens.plan import PlanScreen

        self.app.push_screen(PlanScreen())

    def open_search(self) -> None:
        from deskwork.ui.screens.arxiv_search import ArxivSearchScreen

        self.app.push_screen(ArxivSearchScreen())

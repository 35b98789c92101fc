"""Search arXiv (keywords, author, category; newest first) and the watch list's new papers; Enter
adds the highlighted paper to the curriculum. The network runs in a worker; arXiv's pace (one
request every 3 s) is kept by the shared client."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from deskwork.domain.text import clean
from deskwork.domain.wording import plural
from deskwork.sources.arxiv import SEARCH_FIELDS, Paper
from deskwork.sources.http import SourceError
from deskwork.ui.widgets.footer import DeskFooter

if TYPE_CHECKING:
    from deskwork.ui.host import PaneHost


def paper_label(paper: Paper) -> Text:
    text = Text(clean(paper.title, single_line=True), style="bold")
    when = f"{paper.published:%d %b %Y}" if paper.published else ""
    authors = ", ".join(paper.authors[:3]) + (" et al." if len(paper.authors) > 3 else "")
    facts = [str(paper.arxiv_id), when, paper.primary_category, authors]
    text.append("\n  " + clean(" · ".join(f for f in facts if f), single_line=True), style="dim")
    return text


class ArxivSearchScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close", id="arxiv.close"),
        # Alt+W too: a browser tab (`deskwork serve`) never receives Ctrl+W, which closes the tab.
        Binding("ctrl+w,alt+w", "watch", "Watch list", id="arxiv.watch", priority=True),
        Binding("ctrl+a", "add", "Add", id="arxiv.add"),
    ]
    DEFAULT_CSS = """
    ArxivSearchScreen #ax-bar { height: auto; padding: 0 1; }
    ArxivSearchScreen #ax-words { width: 1fr; }
    ArxivSearchScreen #ax-field { width: 18; }
    ArxivSearchScreen #ax-status { height: auto; padding: 0 2; color: $text-muted; }
    ArxivSearchScreen #ax-results { height: 1fr; }
    ArxivSearchScreen #ax-abstract { height: auto; max-height: 8; padding: 0 2; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.papers: list[Paper] = []

    @property
    def desk_app(self) -> PaneHost:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Horizontal(id="ax-bar"):
            yield Input(placeholder="search arXiv, then Enter", id="ax-words")
            yield Select(
                [(name, name) for name in SEARCH_FIELDS],
                value="all",
                allow_blank=False,
                id="ax-field",
            )
        yield Static(
            "Enter searches (newest first) · Enter on a result adds it · Ctrl+W the watch list",
            id="ax-status",
            markup=False,
        )
        yield OptionList(id="ax-results")
        yield Static("", id="ax-abstract", markup=False)
        yield DeskFooter()

    def on_mount(self) -> None:
        self.query_one("#ax-words", Input).focus()

    def status(self, text: str) -> None:
        self.query_one("#ax-status", Static).update(text)

    def show(self, papers: list[Paper], note: str) -> None:
        self.papers = papers
        results = self.query_one("#ax-results", OptionList)
        results.clear_options()
        results.add_options([Option(paper_label(p), id=str(n)) for n, p in enumerate(papers)])
        self.status(note)
        if papers:
            results.highlighted = 0
            results.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        words = event.value.strip()
        if not words:
            return
        field_name = str(self.query_one("#ax-field", Select).value)
        links = self.desk_app.curriculum.links
        self.status(f"Searching arXiv for {words!r}…")

        def work() -> None:
            try:
                papers = links.search(words, field_name)
            except SourceError as exc:
                self.app.call_from_thread(self.status, f"Search failed: {exc} — try again later.")
                return
            note = f"{plural(len(papers), 'paper')} for {words!r}, newest first · Enter adds one"
            self.app.call_from_thread(self.show, papers, note)

        self.run_worker(work, thread=True, group="arxiv-search", exclusive=True)

    def action_watch(self) -> None:
        links = self.desk_app.curriculum.links
        queries, cutoff, known = links.watch_inputs()
        if not queries:
            self.status(
                'No watch list: add `watch = ["cat:cs.LG", …]` under [sources] in the config.'
            )
            return
        if links.watch_checked_today():
            papers = links.remembered_watch()
            self.show(papers, f"Watch list (checked today already): {len(papers)} new papers")
            return
        self.status(f"Checking the watch list ({plural(len(queries), 'query')})…")

        def work() -> None:
            try:
                papers = links.run_watch(queries, cutoff, known)
            except SourceError as exc:
                self.app.call_from_thread(
                    self.status, f"Watch list failed: {exc} — try again later."
                )
                return
            self.app.call_from_thread(self._watched, papers)

        self.run_worker(work, thread=True, group="arxiv-search", exclusive=True)

    def _watched(self, papers: list[Paper]) -> None:
        if not self.desk_app.desk.store.readonly:
            self.desk_app.curriculum.links.remember_watch(papers)
        self.show(papers, f"Watch list: {len(papers)} new papers since the last check")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        index = int(event.option.id or 0)
        if 0 <= index < len(self.papers):
            self.query_one("#ax-abstract", Static).update(self.papers[index].abstract[:600])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_add()

    def action_add(self) -> None:
        results = self.query_one("#ax-results", OptionList)
        if results.highlighted is not None and results.highlighted < len(self.papers):
            self.desk_app.curriculum.add_paper(self.papers[results.highlighted])

    def action_close(self) -> None:
        self.dismiss(None)

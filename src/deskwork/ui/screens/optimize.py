"""Optimising FSRS parameters from the TUI: one preset (from the presets screen) or every preset
with cards (the palette), run in a thread worker with a progress bar — the training itself runs
in a child process, the store steps on the app's thread — cancellable with Esc, then each
preset's log loss and RMSE before and after, and whether the new parameters were adopted."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from deskwork.domain.text import clean
from deskwork.ui.screens.timer_dialogs import DIALOG_CSS

if TYPE_CHECKING:
    from deskwork.services.optimize import Outcome
    from deskwork.ui.host import PaneHost

T = TypeVar("T")


def results_table(results: list[Outcome | str]) -> Table:
    """Each preset's figures before and after, and what was done."""
    table = Table(expand=True, box=None, pad_edge=False)
    for column, justify in (("Preset", "left"), ("Items", "right"), ("Log loss", "right"),
                            ("RMSE", "right"), ("", "left")):  # fmt: skip
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    notes: list[str] = []
    for result in results:
        if isinstance(result, str):
            notes.append(result)
            continue
        assert result.before is not None and result.after is not None
        table.add_row(
            Text(clean(result.preset, single_line=True)),
            f"{result.items:,}",
            f"{result.before.log_loss:.4f} → {result.after.log_loss:.4f}",
            f"{result.before.rmse * 100:.2f} % → {result.after.rmse * 100:.2f} %",
            Text("adopted", style="bold green") if result.adopted else Text("kept", style="dim"),
        )
    for note in notes:
        table.add_row(Text(clean(note), style="yellow"), "", "", "", "")
    return table


class OptimizeScreen(ModalScreen[bool]):
    """Dismissed with True when parameters were adopted (the caller reloads what shows them)."""

    BINDINGS = [Binding("escape", "close", "Cancel / close", id="optimize.close")]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="OptimizeScreen")
        + """
    OptimizeScreen > Vertical { width: 96; max-width: 95%; height: auto; }
    OptimizeScreen ProgressBar { margin: 1 0; }
    OptimizeScreen #optimize-result { height: auto; }
    OptimizeScreen .hint { color: $text-muted; }
    """
    )

    def __init__(self, preset: str | None = None, title: str = "every preset with cards") -> None:
        super().__init__()
        self.preset = preset
        self.title_text = title
        self.results: list[Outcome | str] | None = None
        self.failure = ""
        self.adopted = False

    @property
    def desk_app(self) -> PaneHost:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Text(f"Optimise FSRS parameters: {clean(self.title_text, single_line=True)}"),
                id="optimize-title",
            )
            yield Static("Starting…", id="optimize-status", markup=False)
            yield ProgressBar(total=None, show_eta=False, id="optimize-progress")
            yield Static("", id="optimize-result")
            yield Static("Esc cancels (nothing is changed)", classes="hint", id="optimize-hint")

    def on_mount(self) -> None:
        self.worker = self.run_worker(self._run, thread=True, exclusive=True, group="optimize")

    # ------------------------------------------------------------------ the worker (a thread)
    def _run(self) -> list[Outcome | str]:
        from deskwork.domain.cancel import Cancelled
        from deskwork.services import optimize as op

        worker = get_current_worker()

        def on_store(work: Callable[[], T]) -> T:
            def guarded() -> T:
                if worker.is_cancelled:  # Esc came first: write nothing
                    raise Cancelled()
                return work()

            return self.app.call_from_thread(guarded)

        return op.optimize(
            self.desk_app.desk,
            self.preset,
            lambda what, done, total: self.app.call_from_thread(self._progress, what, done, total),
            cancelled=lambda: worker.is_cancelled,
            on_store=on_store,
        )

    def _progress(self, what: str, done: int, total: int | None) -> None:
        self.query_one("#optimize-status", Static).update(what + "…")
        bar = self.query_one(ProgressBar)
        bar.update(total=total, progress=done)

    # ------------------------------------------------------------------ back on the app's thread
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self.worker:
            return
        if event.state is WorkerState.SUCCESS:
            self.results = event.worker.result
            self._show_results()
        elif event.state is WorkerState.ERROR:
            from deskwork.domain.cancel import Cancelled

            if isinstance(event.worker.error, Cancelled):
                self._finish("Cancelled: nothing was changed.")
                return
            self.failure = str(event.worker.error)
            self._finish(self.failure, error=True)
        elif event.state is WorkerState.CANCELLED:
            self._finish("Cancelled: nothing was changed.")

    def _finish(self, status: str, error: bool = False) -> None:
        self.query_one("#optimize-status", Static).update(
            Text(status, style="red" if error else "")
        )
        bar = self.query_one(ProgressBar)
        bar.update(total=1, progress=0 if error else 1)
        self.query_one("#optimize-hint", Static).update("Esc closes")

    def _show_results(self) -> None:
        from deskwork.services.optimize import Outcome

        results = self.results or []
        outcomes = [r for r in results if isinstance(r, Outcome)]
        self.adopted = any(r.adopted for r in outcomes)
        self.query_one("#optimize-result", Static).update(results_table(results))
        lines = [r.message for r in outcomes]
        if not outcomes:
            lines.append("Nothing optimised: too little history so far.")
        self._finish("\n".join(lines))
        if self.adopted:
            self.desk_app.presets_changed()

    def action_close(self) -> None:
        if self.worker.state in (WorkerState.PENDING, WorkerState.RUNNING):
            self.worker.cancel()  # the worker stops the child process within 0.1 s
            self.query_one("#optimize-status", Static).update("Cancelling…")
            return
        self.dismiss(self.adopted)

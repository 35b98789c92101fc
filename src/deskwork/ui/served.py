"""The app's side of `deskwork serve`: what runs inside each browser tab's subprocess.

- `ServedDriver`: Textual's web driver, plus one guarantee: when the server goes away (its pipe to us
  closes without a "quit"), the app still exits through its normal path, so the desk is saved and
  the store lock released instead of an orphan holding the data dir.
- `RefusalApp`: what a second tab shows while another deskwork holds the store: the same message a
  second terminal prints, inside the page, and Enter to try again once the other one has closed.
"""

from __future__ import annotations

from pathlib import Path

from textual import messages
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.drivers.web_driver import WebDriver
from textual.widgets import Footer, Static

from deskwork.store.lock import StoreLocked, is_locked


class ServedDriver(WebDriver):
    """The web driver; an app whose server vanished exits (saving) instead of lingering."""

    def run_input_thread(self) -> None:
        super().run_input_thread()
        if not self.exit_event.is_set():  # input ended without the app stopping: the server is gone
            self._app.post_message(messages.ExitApp())


class RefusalApp(App[int]):
    """Shown in a browser tab when another deskwork (a tab or a terminal) holds the data dir."""

    TITLE = "deskwork"
    SUB_TITLE = "in use elsewhere"
    ENABLE_COMMAND_PALETTE = False  # nothing to command here: Enter retries, q closes
    CSS = """
    Screen { align: center middle; }
    #refusal { width: 80; max-width: 100%; height: auto; border: round $warning; padding: 1 2; }
    #refusal-title { text-style: bold; color: $warning; margin-bottom: 1; }
    #refusal-status { margin-top: 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("enter,r", "retry", "Try again"),
        Binding("q,escape", "quit", "Close this session"),
    ]

    def __init__(self, locked: StoreLocked) -> None:
        super().__init__()
        self.locked = locked
        self.data_dir: Path = locked.path.parent

    def compose(self) -> ComposeResult:
        with Vertical(id="refusal"):
            yield Static("deskwork is already open", id="refusal-title")
            yield Static(f"deskwork: {self.locked}", id="refusal-message", markup=False)
            yield Static(
                "Nothing was changed. Close the other tab or terminal (it saves as it quits), "
                "then press Enter here to open the desk in this tab.",
                id="refusal-help",
            )
            yield Static("", id="refusal-status", markup=False)
        yield Footer()

    def action_retry(self) -> None:
        holder = is_locked(self.data_dir)
        status = self.query_one("#refusal-status", Static)
        if holder is not None:
            status.update(
                f"Still in use by {holder.get('what', 'deskwork')} (pid {holder.get('pid', '?')})."
            )
            return
        status.update("Free: opening the desk…")
        # The page reloads: a new session whose app takes the lock (this one ends with the old page).
        self.open_url("/", new_tab=False)

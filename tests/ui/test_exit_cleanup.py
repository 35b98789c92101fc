"""Every exit closes the desk as Ctrl+Q does: the remote channel's socket is removed, the draft's
text saved. The app's "desk closed" flag was named `_closed`, which is Textual's own message pump
flag, set before on_unmount: there close_desk saw it and skipped everything, so an exit by any
path but Ctrl+Q (Textual's exit, an exit at the first frame) left `deskwork.sock` behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from textual.widgets import TextArea

from deskwork.paths import Paths
from deskwork.remote import socket_path
from deskwork.remote_channel import Channel
from deskwork.services import WELCOME_DONE, Desk
from deskwork.ui.app import DeskworkApp
from tests.ui.factory import until

FIRST_FRAME_EXIT = r"""
import sys
from pathlib import Path
from deskwork.cli import build_tui
from deskwork.paths import Paths
from deskwork.remote import socket_path

home = Path(sys.argv[1])
app = build_tui(Paths(home, home))  # as `deskwork` starts it, with its remote channel

def first_frame() -> None:
    print("LISTENING", socket_path(home).exists())
    app.exit()

app.call_after_refresh(first_frame)
app.run(headless=True, size=(100, 30))
"""


def desk_with_channel(tmp_path: Path) -> tuple[Path, Desk, DeskworkApp]:
    """A desk past its welcome, in an app with its remote channel (the socket an exit removes)."""
    home = tmp_path / "home"
    desk = Desk.open(Paths(home, home))
    desk.store.set_setting(WELCOME_DONE, True)
    return home, desk, DeskworkApp(desk, show_clock=False, channel=Channel(desk))


def test_an_exit_at_the_first_frame_removes_the_socket(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Desk.open(Paths(home, home)).close()
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME_EXIT, str(home)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "LISTENING True" in done.stdout, "the channel was up at the first frame"
    assert not socket_path(home).exists(), "and gone after the exit"


async def test_textual_s_own_exit_closes_the_desk_as_ctrl_q_does(tmp_path: Path) -> None:
    home, desk, app = desk_with_channel(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert socket_path(home).exists()
        await pilot.press("f5", "n", *"Notes", "enter")
        # the editor is built on its first use
        await until(pilot, lambda: isinstance(app.focused, TextArea), "the editor focused")
        await pilot.press(*"a thought")  # typed within the autosave's delay: not saved yet
        draft_id = app.draft_pane.editing.id  # type: ignore[union-attr]
        app.exit()  # not Ctrl+Q: Textual's exit, as a crash or the benchmarks' exit take
        await pilot.pause()
    assert not socket_path(home).exists()
    assert desk.store.closed, "the app closed the desk (saving the draft first)"
    again = Desk.open(Paths(home, home))
    assert again.store.drafts.get(draft_id).body == "a thought"  # type: ignore[union-attr]
    again.close()


async def test_a_failing_step_of_the_close_skips_none_of_the_others(tmp_path: Path) -> None:
    """One step of closing the desk raising (the curriculum's close, say) used to skip every
    step after it: the socket stayed, the store was never closed. Now each runs, and the
    failure is said after the TUI."""
    home, desk, app = desk_with_channel(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert socket_path(home).exists()

        def broken() -> None:
            raise RuntimeError("the curriculum would not close")

        app.curriculum.close = broken  # type: ignore[method-assign]
        app.remote.close, real_remote = broken, app.remote.close  # type: ignore[method-assign]
        app.exit()
        await pilot.pause()
    real_remote()  # (the first failing step was the socket's: it is removed by hand here)
    assert desk.store.closed, "the store closed though two steps before it failed"
    assert "closing the remote socket failed: RuntimeError" in app.day_end_text
    assert "closing the curriculum failed: RuntimeError" in app.day_end_text

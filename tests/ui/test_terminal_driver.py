"""The terminal driver once its terminal has gone: writes never block, the app is told once."""

from __future__ import annotations

import io
import threading

import pytest
from textual.drivers._writer_thread import MAX_QUEUED_WRITES, WriterThread

from deskwork.ui.terminal_driver import HangupSafeDriver, _GoneTolerantOutput


class _VanishedTerminal(io.StringIO):
    """A tty whose master side has closed: every write and flush fails with EIO."""

    def write(self, text: str) -> int:
        raise OSError(5, "Input/output error")

    def flush(self) -> None:
        raise OSError(5, "Input/output error")


def _write_many(stream: object, count: int) -> bool:
    """Feed `count` writes through Textual's writer thread; True if all went through in time."""
    writer = WriterThread(stream)  # type: ignore[arg-type]
    writer.start()
    done = threading.Event()

    def feed() -> None:
        for n in range(count):
            writer.write(f"frame {n}\n")
        writer.stop()
        done.set()

    threading.Thread(target=feed, daemon=True).start()
    return done.wait(10)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_textual_plain_writer_blocks_once_the_terminal_is_gone() -> None:
    """The failure this driver exists for: Textual's writer thread dies on the first EIO and the
    31st write then blocks the event loop for ever (if Textual fixes it, this test says so).
    Shown step by step rather than by waiting ten seconds for a feed that never ends: the thread
    is gone, its queue of 30 is full, and a write then does not return."""
    writer = WriterThread(_VanishedTerminal())
    writer.start()
    writer.write("frame 0\n")
    writer.join(60)  # the first write's EIO ends the thread (join returns as it ends)
    assert not writer.is_alive(), "Textual's writer thread now outlives a vanished terminal"
    for n in range(1, MAX_QUEUED_WRITES + 1):
        writer.write(f"frame {n}\n")  # nothing drains them any more
    assert writer._queue.full()
    returned = threading.Event()

    def one_more() -> None:
        writer.write("one frame too many\n")
        returned.set()

    threading.Thread(target=one_more, daemon=True).start()
    assert not returned.wait(0.5), "a write to a full queue with no writer returned"


def test_the_tolerant_output_keeps_the_queue_draining_and_tells_once() -> None:
    told: list[str] = []
    stream = _GoneTolerantOutput(_VanishedTerminal(), lambda: told.append("gone"))
    assert _write_many(stream, MAX_QUEUED_WRITES * 3)
    assert stream.broken
    assert told == ["gone"]


def test_a_live_terminal_gets_every_write() -> None:
    live = io.StringIO()
    stream = _GoneTolerantOutput(live, lambda: None)
    assert _write_many(stream, 50)
    assert live.getvalue() == "".join(f"frame {n}\n" for n in range(50))
    assert not stream.broken


def test_the_app_runs_on_the_hangup_safe_driver_on_a_unix_terminal() -> None:
    from deskwork.ui.app import DeskworkApp

    chosen = DeskworkApp.get_driver_class(object.__new__(DeskworkApp))
    assert chosen is HangupSafeDriver

"""Refreshing pending links without a connection: the first connection failure ends the round (no
arXiv pacing waits for requests that cannot succeed), the rest stay pending untouched, and the TUI
says so in one toast, not one per link."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from deskwork.cli import main
from deskwork.domain.curriculum import Item
from deskwork.store.store import Store
from tests.helpers import T0, Clock


def closed_port_url() -> str:
    """A local address nobody listens on: connecting is refused at once, like being offline."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/api/query"


def pending_papers(home: Path, count: int) -> None:
    store = Store.open(home)
    with store.transaction() as tx:
        for n in range(count):
            arxiv = f"1706.0376{n}"
            tx.put(
                "items",
                Item(
                    title=f"arXiv:{arxiv}",
                    url=f"https://arxiv.org/abs/{arxiv}",
                    arxiv_id=arxiv,
                    added=T0,
                    metadata_pending=True,
                ),
            )
    store.set_setting("welcome_done", True)
    store.close()


def errors(home: Path) -> list[str]:
    store = Store.open(home, readonly=True)
    return [i.metadata_error for i in sorted(store.items.values(), key=lambda i: i.id)]


def test_queue_refresh_stops_at_the_first_connection_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    pending_papers(home, 5)
    monkeypatch.setenv("DESKWORK_ARXIV_API", closed_port_url())
    code = main(["queue", "refresh", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1  # nothing fetched: a failed refresh
    assert (report["fetched"], report["pending"], report["not_tried"]) == (0, 5, 4)
    assert len(report["items"]) == 1 and "cannot connect" in report["items"][0]["error"]
    tried = [e for e in errors(home) if e]
    assert len(tried) == 1  # one request, not five paced 3 s apart
    code = main(["queue", "refresh"])
    text = capsys.readouterr().out
    assert code == 1 and text.startswith("fetched 0 of 5 pending\n  failed: 1 arXiv:1706.03760")
    assert (
        "not tried without a connection: 4 more (2 arXiv:1706.03761, 3 arXiv:1706.03762, " in text
    )
    assert "5 arXiv:1706.03764); try again when online" in text


async def test_r_offline_with_five_pending_links_shows_one_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deskwork.paths import Paths
    from deskwork.services import Desk
    from deskwork.ui.app import DeskworkApp

    home = tmp_path / "home"
    pending_papers(home, 5)
    monkeypatch.setenv("DESKWORK_ARXIV_API", closed_port_url())
    app = DeskworkApp(Desk.open(Paths(home, home), clock=Clock()), show_clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f3", "R")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        pending = [n for n in app._notifications if n.title == "Metadata pending"]
        assert len(pending) == 1, [n.message for n in app._notifications]
        assert pending[0].message.startswith("No connection: 5 items still waiting for details")
        assert "R in the queue retries" in pending[0].message
    assert len([e for e in errors(home) if e]) == 1

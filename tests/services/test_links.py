"""`deskwork queue add / refresh`: the item is saved first, its metadata fetched after; offline or
on any failure it waits as "metadata pending" and a refresh fills it in."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from deskwork.cli import main
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.links import LinkError, Links, parse_target
from deskwork.store.store import Store
from tests.netserver import Handler, hang, serve, static

RECORDED = (Path(__file__).parents[1] / "fixtures" / "arxiv" / "1706.03762.xml").read_bytes()
ATOM = "application/atom+xml; charset=utf-8"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def items(home: Path) -> list[dict[str, object]]:
    store = Store.open(home, readonly=True)
    try:
        return [i.model_dump(mode="json") for i in store.items.values()]
    finally:
        store.close()


def test_queue_add_arxiv_id_returns_title_authors_categories(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve({"/api/query": static(RECORDED, ATOM)}) as server:
        monkeypatch.setenv("DESKWORK_ARXIV_API", server.url("/api/query"))
        code, out, err = run(capsys, "queue", "add", "arXiv:1706.03762", "--json")
        assert server.requests == ["/api/query?id_list=1706.03762&max_results=1"]
        assert server.user_agents[0].startswith("deskwork/")
    assert code == 0, err
    data = json.loads(out)
    assert data["title"] == "Attention Is All You Need"
    assert data["authors"].startswith("Ashish Vaswani, Noam Shazeer")
    assert data["categories"] == ["cs.CL", "cs.LG"]
    assert data["kind"] == "paper" and data["arxiv_id"] == "1706.03762"
    assert data["metadata"] == "fetched" and data["created"] is True
    # The same paper in another form adds nothing twice.
    code, out, _ = run(capsys, "queue", "add", "https://arxiv.org/pdf/1706.03762v7.pdf", "--json")
    assert json.loads(out)["created"] is False
    assert len(items(Path(str(tmp_path / "home")))) == 1


def test_a_server_that_never_answers_leaves_the_item_pending_within_the_timeout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("[sources]\ntotal_timeout_seconds = 2\n")
    with serve({"/api/query": hang}) as server:
        monkeypatch.setenv("DESKWORK_ARXIV_API", server.url("/api/query"))
        started = time.monotonic()
        code, out, err = run(capsys, "queue", "add", "1706.03762v5", "--json")
        elapsed = time.monotonic() - started
    assert code == 0, err
    assert 1.9 < elapsed < 6, elapsed
    data = json.loads(out)
    assert data["metadata"] == "pending" and "no answer within 2 s" in data["error"]
    [saved] = items(home)
    assert saved["metadata_pending"] is True and saved["url"] == "https://arxiv.org/abs/1706.03762"
    assert saved["arxiv_version"] == 5

    # Back online: refresh fills it in.
    with serve({"/api/query": static(RECORDED, ATOM)}) as server:
        monkeypatch.setenv("DESKWORK_ARXIV_API", server.url("/api/query"))
        code, out, _ = run(capsys, "queue", "refresh", "--json")
    result = json.loads(out)
    assert code == 0 and result["fetched"] == 1 and result["pending"] == 0
    [saved] = items(home)
    assert saved["title"] == "Attention Is All You Need" and saved["metadata_pending"] is False


def test_offline_add_saves_now_and_fetches_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve({}) as server:
        monkeypatch.setenv("DESKWORK_ARXIV_API", server.url("/api/query"))
        code, out, _ = run(capsys, "queue", "add", "https://course.fast.ai/", "--offline", "--json")
        assert server.requests == []
    data = json.loads(out)
    assert (
        code == 0 and data["metadata"] == "pending" and data["title"] == "https://course.fast.ai/"
    )


def test_a_page_fills_in_title_provider_cost_and_effort(
    tmp_path: Path, clock: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.sources.test_fetch import COURSE_PAGE

    with serve({"/dl": static(COURSE_PAGE)}) as server:
        code, out, _ = run(capsys, "queue", "add", server.url("/dl"), "--json")
    data = json.loads(out)
    assert code == 0 and data["title"] == "Deep Learning Specialization"
    assert (data["authors"], data["cost"], data["currency"]) == ("DeepLearning.AI", 49.0, "USD")
    assert data["kind"] == "course" and data["effort_points"] == 1.0  # 120 h at 120 h a point
    assert "PT120H" in data["notes"]


def test_not_a_link_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "queue", "add", "attention is all you need")
    assert code == 2 and "is not a link or an arXiv id" in err


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("course.fast.ai", "https://course.fast.ai"),
        ("https://cs231n.stanford.edu/", "https://cs231n.stanford.edu/"),
        ("arXiv:hep-th/9901001v2", "https://arxiv.org/abs/hep-th/9901001"),
    ],
)
def test_targets(text: str, url: str) -> None:
    assert parse_target(text).url == url
    with pytest.raises(LinkError):
        parse_target("just words")


def test_a_fetch_for_a_deleted_item_changes_nothing(tmp_path: Path) -> None:
    desk = Desk.open(Paths(tmp_path, tmp_path))
    links = Links(desk)
    item, _ = links.save("1706.03762")
    with desk.store.transaction() as tx:
        tx.delete("items", item.id)
    assert links.apply(item.id, {"title": "x"}) is None
    assert len(desk.store.items) == 0
    desk.close()


def test_queue_add_holds_no_lock_while_the_server_is_slow(tmp_path: Path) -> None:
    """The item is saved and the writer lock released before the fetch: another writer (here a
    real second process's worth: a Desk opened for writing) gets in while the server dawdles, and
    the metadata is still applied when it arrives."""
    import os
    import subprocess
    import sys
    import threading

    released = threading.Event()

    def slow_page(h: Handler) -> None:
        released.wait(10)  # answers only once the test got the lock meanwhile
        static(b"<title>Slow but sure</title>")(h)

    home = tmp_path / "home"
    env = {**os.environ, "DESKWORK_HOME": str(home)}
    with serve({"/slow": slow_page}) as server:
        adding = subprocess.Popen(
            [sys.executable, "-m", "deskwork", "queue", "add", server.url("/slow"), "--json"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while not server.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.requests, "the fetch never started"
        desk = Desk.open(Paths.resolve(home), what="a second writer")  # StoreLocked before
        assert [i.title for i in desk.store.items.values()] == [server.url("/slow")]
        desk.close()
        released.set()
        out, err = adding.communicate(timeout=30)
    assert adding.returncode == 0, err
    assert json.loads(out)["title"] == "Slow but sure"
    assert [i["title"] for i in items(home)] == ["Slow but sure"]


def test_a_refresh_that_fails_an_item_exits_non_zero_naming_it_and_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ "fetched 0 of 1" with exit 0 told a script all went well: a refresh that leaves an item
    unfetched exits 1, and names the item (id, link) and the reason (a refresh that fetched
    every item exits 0: test_a_server_that_never_answers_leaves_the_item_pending_…)."""
    from tests.sources.test_fetch import COURSE_PAGE

    def broken(handler: Handler) -> None:
        handler.send(500, b"oops", "text/plain")

    with serve({"/dl": static(COURSE_PAGE), "/broken": broken}) as server:
        for path in ("/dl", "/broken"):
            code, _, err = run(capsys, "queue", "add", server.url(path), "--offline")
            assert code == 0, err
        code, out, _ = run(capsys, "queue", "refresh")
        assert code == 1
        assert out.startswith("fetched 1 of 2 pending\n")
        assert f"  failed: 2 {server.url('/broken')}: the server answered 500" in out
        code, out, _ = run(capsys, "queue", "refresh", "--json")
        report = json.loads(out)
        assert code == 1 and (report["fetched"], report["pending"]) == (0, 1)
        assert report["items"][0]["id"] == 2 and "500" in report["items"][0]["error"]

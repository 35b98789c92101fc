"""Fetching against a real HTTP server on 127.0.0.1: slow, hanging, redirect loops, huge bodies,
XML bombs, markup and escape sequences in titles, wrong charsets; page metadata and oEmbed."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from deskwork.sources.arxiv import ArxivClient, ArxivError, ArxivId, RateLimit
from deskwork.sources.http import FetchPolicy, SourceError, decode, fetch
from deskwork.sources.pages import page_metadata, parse_page, workload_hours, youtube_playlist
from tests.netserver import Handler, endless, hang, redirect_to, serve, static, trickle_headers

FIXTURES = Path(__file__).parent.parent / "fixtures" / "arxiv"
FAST = FetchPolicy(connect_timeout=1, total_timeout=1.5, max_bytes=200_000)
ATOM = "application/atom+xml; charset=utf-8"


def test_a_server_that_never_answers_times_out_on_time() -> None:
    with serve({"/hang": hang}) as server:
        started = time.monotonic()
        with pytest.raises(SourceError, match=r"no answer within 1\.5 s") as info:
            fetch(server.url("/hang"), FAST)
        elapsed = time.monotonic() - started
    assert 1.4 < elapsed < 4, elapsed
    assert info.value.retry, "a timeout is worth retrying later"


def test_a_body_that_trickles_past_the_total_timeout_is_cut_off() -> None:
    def trickle(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        for _ in range(40):
            if h.state.stop.wait(0.2):
                return
            h.wfile.write(b"<p>x</p>")
            h.wfile.flush()

    with serve({"/slow": trickle}) as server:
        started = time.monotonic()
        with pytest.raises(SourceError, match=r"took longer than 1\.5 s"):
            fetch(server.url("/slow"), FAST)
        assert time.monotonic() - started < 4


def test_header_lines_trickling_in_cannot_stretch_the_deadline() -> None:
    """A server sending one header line every 0.1 s never trips a per-read timeout; the total
    deadline still ends the fetch on time (it once held a 15 s fetch for 104 s)."""
    with serve({"/slow-headers": trickle_headers}) as server:
        started = time.monotonic()
        with pytest.raises(SourceError, match=r"no answer within 1\.5 s"):
            fetch(server.url("/slow-headers"), FAST)
        elapsed = time.monotonic() - started
    assert 1.4 < elapsed < 2.5, elapsed


def test_a_resolver_that_hangs_cannot_hold_the_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The system resolver is the environment here, so it is the one thing replaced: a name that
    takes 30 s to resolve still ends the fetch at the connect timeout; real names still work."""
    import socket
    import threading

    real = socket.getaddrinfo
    release = threading.Event()

    def resolver(host: str, *args: object, **kwargs: object) -> object:
        if host == "slow-dns.test":
            release.wait(30)
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with serve({"/": static(b"<title>by name</title>")}) as server:
        port = server.base.rsplit(":", 1)[1]
        assert b"by name" in fetch(f"http://localhost:{port}/", FAST).body
        started = time.monotonic()
        with pytest.raises(SourceError, match=r"no connection within 1 s"):
            fetch(f"http://slow-dns.test:{port}/", FAST)
        elapsed = time.monotonic() - started
    release.set()
    assert elapsed < 2.0, elapsed


def test_the_deadline_covers_every_redirect_together() -> None:
    def slow_redirect(target: str) -> Callable[[Handler], None]:
        def answer(h: Handler) -> None:
            h.state.stop.wait(0.6)
            redirect_to(target)(h)

        return answer

    routes = {f"/s{n}": slow_redirect(f"/s{n + 1}") for n in range(4)}
    routes["/s4"] = static(b"<title>too late</title>")
    with serve(routes) as server:
        started = time.monotonic()
        with pytest.raises(SourceError, match=r"1\.5 s"):
            fetch(server.url("/s0"), FAST)  # each hop is fast enough, the four are not
        assert time.monotonic() - started < 2.5


def test_redirects_are_followed_up_to_five_then_refused() -> None:
    routes = {f"/r{n}": redirect_to(f"/r{n + 1}") for n in range(7)}
    routes["/r5"] = static(b"<title>arrived</title>")
    with serve(routes) as server:
        got = fetch(server.url("/r0"), FAST)  # five redirects: fine
        assert got.url.endswith("/r5") and b"arrived" in got.body
        with pytest.raises(SourceError, match="more than 3 redirects"):
            fetch(server.url("/r1"), FetchPolicy(total_timeout=5, max_redirects=3))


def test_a_redirect_loop_ends_with_a_message() -> None:
    with (
        serve({"/a": redirect_to("/b"), "/b": redirect_to("/a")}) as server,
        pytest.raises(SourceError, match="more than 5 redirects"),
    ):
        fetch(server.url("/a"), FAST)


def test_redirects_to_other_schemes_are_refused() -> None:
    with (
        serve({"/x": redirect_to("file:///etc/passwd")}) as server,
        pytest.raises(SourceError, match="only http:// and https://"),
    ):
        fetch(server.url("/x"), FAST)


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "javascript:x"])
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(SourceError, match="only http:// and https://") as info:
        fetch(url, FAST)
    assert not info.value.retry


def test_huge_bodies_are_refused_by_length_and_while_streaming() -> None:
    big = b"x" * 300_000
    with serve({"/big": static(big), "/endless": endless}) as server:
        with pytest.raises(SourceError, match="too large"):
            fetch(server.url("/big"), FAST)  # Content-Length says so
        with pytest.raises(SourceError, match="too large"):
            fetch(server.url("/endless"), FAST)  # no length: counted while reading


def test_server_errors_name_the_status() -> None:
    with serve({"/gone": static(b"", status=410), "/busy": static(b"", status=503)}) as server:
        with pytest.raises(SourceError, match="410") as gone:
            fetch(server.url("/gone"), FAST)
        with pytest.raises(SourceError, match="503") as busy:
            fetch(server.url("/busy"), FAST)
    assert not gone.value.retry and busy.value.retry


def test_nothing_listening_is_reported_as_offline() -> None:
    with serve({}) as server:
        url = server.url("/x")
    with pytest.raises(SourceError, match="cannot connect"):
        fetch(url, FAST)


def test_wrong_charsets_still_decode() -> None:
    latin = "<title>Café Programmierung – Übung</title>".encode("cp1252")
    assert "Café" in decode(latin, "utf-8")  # the header lies: not UTF-8
    meta = b'<meta charset="windows-1251"><title>' + "Курс".encode("cp1251") + b"</title>"
    assert "Курс" in decode(meta, None)
    assert decode(b"<title>ok</title>", "no-such-charset") == "<title>ok</title>"
    with serve({"/latin": static(latin, "text/html; charset=utf-8")}) as server:
        meta_ = page_metadata(server.url("/latin"), FAST)
    assert meta_.title == "Café Programmierung – Übung"


def test_markup_and_escape_sequences_in_titles_are_plain_text() -> None:
    page = b"<title>[Re] Reproducing \x1b[31m[bold]X[/bold]\x07 &amp; more</title>"
    with serve({"/p": static(page)}) as server:
        meta = page_metadata(server.url("/p"), FAST)
        assert server.user_agents[-1].startswith("deskwork/")
    assert meta.title == "[Re] Reproducing [bold]X[/bold] & more"


COURSE_PAGE = b"""<html><head>
<title>Ignored | Site</title>
<meta property="og:title" content="Not this either">
<meta property="og:site_name" content="Coursera">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
  {"@type": "Organization", "name": "Coursera"},
  {"@type": ["Course", "Product"], "name": "Deep Learning Specialization",
   "description": "Become a machine learning expert.",
   "provider": {"@type": "Organization", "name": "DeepLearning.AI"},
   "offers": [{"@type": "Offer", "price": "49.00", "priceCurrency": "USD"}],
   "hasCourseInstance": {"@type": "CourseInstance", "courseWorkload": "PT120H"}}
]}</script>
<script type="application/ld+json">{not json</script>
</head><body></body></html>"""


def test_json_ld_course_gives_name_provider_price_and_workload() -> None:
    meta = parse_page(COURSE_PAGE.decode(), "https://x")
    assert meta.title == "Deep Learning Specialization"
    assert meta.provider == "DeepLearning.AI" and meta.site_name == "Coursera"
    assert (meta.price, meta.currency) == (49.0, "USD")
    assert meta.workload == "PT120H" and workload_hours(meta.workload) == 120
    assert meta.kind == "course"


def test_open_graph_then_title() -> None:
    og = parse_page(
        '<meta property="og:title" content="OG &quot;title&quot;">'
        '<meta property="og:description" content="d"><title>t</title>',
        "u",
    )
    assert (og.title, og.description) == ('OG "title"', "d")
    assert parse_page("<html><title>\n  Just   a title\n</title>", "u").title == "Just a title"
    with pytest.raises(SourceError, match="no title"):
        parse_page("<html><body>nothing</body></html>", "u")


def test_workload_hints() -> None:
    assert workload_hours("PT40H") == 40
    assert workload_hours("P2DT4H30M") == 52.5
    assert workload_hours("10 hours a week") is None
    assert workload_hours("P") is None


def test_youtube_playlists_go_through_oembed() -> None:
    answer = {
        "title": "Essence of linear algebra",
        "author_name": "3Blue1Brown",
        "provider_name": "YouTube",
    }
    with serve({"/oembed": static(json.dumps(answer).encode(), "application/json")}) as server:
        url = "https://www.youtube.com/playlist?list=PLZHQObOWTQDPD3MizzM2xVFitgF8hE_ab"
        assert youtube_playlist(url) and not youtube_playlist("https://www.youtube.com/watch?v=x")
        meta = page_metadata(url, FAST, server.url("/oembed"))
        assert server.requests[-1].startswith("/oembed?url=https%3A%2F%2Fwww.youtube.com")
    assert (meta.title, meta.provider, meta.kind) == (
        "Essence of linear algebra",
        "3Blue1Brown",
        "video",
    )


def test_arxiv_client_fetches_papers_and_reports_missing_ones() -> None:
    recorded = (FIXTURES / "1706.03762.xml").read_bytes()
    empty = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>none</title></feed>'
    with serve({"/api": static(recorded, ATOM), "/empty": static(empty, ATOM)}) as server:
        client = ArxivClient(server.url("/api"), FAST, RateLimit(0))
        (paper,) = client.papers([ArxivId("1706.03762")])
        assert paper.title == "Attention Is All You Need"
        assert "id_list=1706.03762" in server.requests[-1]
        missing = ArxivClient(server.url("/empty"), FAST, RateLimit(0))
        with pytest.raises(ArxivError, match=r"arXiv has no paper 9999\.99999"):
            missing.papers([ArxivId("9999.99999")])
        client.close()
        missing.close()


def test_an_xml_bomb_from_the_api_is_refused_quickly() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa">'
    for n in range(1, 9):
        bomb += f'<!ENTITY {"a" * (n + 1)} "{("&" + "a" * n + ";") * 10}">'.encode()
    bomb += b']><feed xmlns="http://www.w3.org/2005/Atom"><title>&aaaaaaaaa;</title></feed>'
    with serve({"/api": static(bomb, ATOM)}) as server:
        client = ArxivClient(server.url("/api"), FAST, RateLimit(0))
        started = time.monotonic()
        with pytest.raises(ArxivError, match="unsafe XML"):
            client.papers([ArxivId("1706.03762")])
        assert time.monotonic() - started < 2
        client.close()


def test_arxiv_client_keeps_three_seconds_between_requests() -> None:
    recorded = (FIXTURES / "1706.03762.xml").read_bytes()
    slept: list[float] = []
    limit = RateLimit(3.0, sleep=slept.append)
    with serve({"/api": static(recorded, ATOM)}) as server:
        client = ArxivClient(server.url("/api"), FAST, limit)
        client.papers([ArxivId("1706.03762")])
        client.papers([ArxivId("1706.03762")])
        client.close()
    assert len(slept) == 1 and 2.5 < slept[0] <= 3.0

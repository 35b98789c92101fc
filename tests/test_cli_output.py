"""What `deskwork` prints: never a raw control sequence from stored or fetched text, a quiet end
on a closed pipe, a lock refusal that says only what it knows."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from deskwork.cli import main
from deskwork.clikit import emit
from deskwork.domain.curriculum import Item
from deskwork.store.lock import StoreLocked
from deskwork.store.store import Store
from tests.helpers import T0

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x1b[31mHello\x1b[0m \u202eevil\u2066 \x9b31m\x07 zero\u200bwidth"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\u200b")


def test_escape_laden_titles_from_an_import_never_reach_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = str(tmp_path / "home")
    post = tmp_path / "post.md"
    post.write_text(f"Title: {HOSTILE}\nTags: \x1b[2Jtag\n\nbody \x1b[2J here\n")  # Pelican: raw
    yaml_post = tmp_path / "yaml.md"  # YAML: the same through its escapes
    yaml_post.write_text('---\ntitle: "\\e]0;pwned\\a\\e[2JHi \\u202Eevil\\x9b"\n---\nbody\n')
    curriculum = tmp_path / "c.csv"
    curriculum.write_text(f"title,track\n{HOSTILE},\x1b[31mtrack\n")
    assert main(["--data-dir", home, "drafts", "import", str(post)]) == 0
    assert main(["--data-dir", home, "drafts", "import", str(yaml_post)]) == 0
    assert main(["--data-dir", home, "queue", "import", str(curriculum)]) == 0
    capsys.readouterr()
    for args in (
        ["drafts", "list"], ["drafts", "list", "--json"], ["drafts", "show", "1"],
        ["drafts", "show", "2"],
        ["queue", "list"], ["queue", "list", "--json"], ["today"], ["today", "--json"],
    ):  # fmt: skip
        assert main(["--data-dir", home, *args]) == 0
        out = capsys.readouterr().out
        assert not any(raw in out for raw in RAW), (args, out)
    store = Store.open(Path(home), readonly=True)
    draft, from_yaml = sorted(store.drafts.values(), key=lambda d: d.id)
    [item] = store.items.values()
    store.close()
    assert draft.title == item.title == "Hello evil zerowidth"
    assert from_yaml.title == "Hi evil"
    assert draft.tags == ["tag"] and draft.body == "body  here\n" and item.track == "track"


def test_output_is_cleaned_even_for_text_that_was_never_validated(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The CLI's own gate, behind the models': text output cleaned, JSON escaped (same data)."""
    emit(argparse.Namespace(json=False), {}, f"1  {HOSTILE}")
    assert capsys.readouterr().out == "1  Hello evil  zero\u200bwidth\n"
    data = {"title": HOSTILE}
    emit(argparse.Namespace(json=True), data, "")
    out = capsys.readouterr().out
    assert not any(raw in out for raw in RAW if raw != "\u200b")
    assert json.loads(out) == data


def test_web_titles_lose_bidi_overrides_and_are_capped() -> None:
    from deskwork.sources.pages import parse_page

    meta = parse_page(
        f"<title>Course \u202egnp.exe\u202c \u2067x\u2069{'A' * 4_000_000}</title>",
        "https://example.org/",
    )
    item = Item(title=meta.title, added=T0)
    assert "\u202e" not in item.title and "\u2067" not in item.title
    assert item.title.startswith("Course gnp.exe x") and len(item.title) == 300


def _populated(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    store = Store.open(home)
    with store.transaction() as tx:
        for n in range(50):
            tx.put("items", Item(title=f"Item {n}", added=T0))
    store.close()
    Store.open(home, backup_interval_s=0).close()  # one backup, for `restore`
    return home


@pytest.mark.parametrize(
    "args",
    [["stats"], ["restore"], ["queue", "list"], ["today", "--json"], ["plan"], ["cards", "stats"]],
)
def test_a_closed_pipe_ends_quietly_like_unix_tools(tmp_path: Path, args: list[str]) -> None:
    """`deskwork stats | head -0`: the reader is gone before the first write."""
    home = _populated(tmp_path)
    child = subprocess.Popen(
        [sys.executable, "-m", "deskwork", "--data-dir", str(home), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": ""},
    )  # fmt: skip
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # like `head` that has read enough
    err = child.stderr.read().decode()
    child.wait(timeout=60)
    assert err == "", err  # no traceback, no "Exception ignored … BrokenPipeError"
    assert child.returncode == 141, child.returncode  # 128 + SIGPIPE, as the shell reports


def test_a_pipe_through_head_gets_its_lines_and_the_writer_ends_quietly(tmp_path: Path) -> None:
    home = _populated(tmp_path)
    done = subprocess.run(
        ["bash", "-c", f'"{sys.executable}" -m deskwork --data-dir "{home}" queue list | head -3'],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.stdout.splitlines()[0].split()[-2:] == ["Item", "0"]
    assert len(done.stdout.splitlines()) == 3 and done.stderr == ""


@pytest.mark.parametrize(
    ("holder", "expected"),
    [
        ({}, "in use by another deskwork process;"),
        ({"pid": 42}, "in use by another deskwork process (pid 42);"),
        (
            {"pid": 42, "host": "desk", "what": "the deskwork TUI", "since": "2026-11-22T10:00"},
            "in use by the deskwork TUI (pid 42 on desk since 2026-11-22T10:00);",
        ),
    ],
)
def test_the_lock_refusal_says_what_is_known_and_nothing_else(
    tmp_path: Path, holder: dict[str, object], expected: str
) -> None:
    message = str(StoreLocked(tmp_path / "deskwork.lock", holder))
    assert expected in message and "?" not in message

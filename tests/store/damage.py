"""A realistic store to damage, its acknowledged state, the damage kinds, and the oracle.

The oracle: after opening a damaged store, every record that differs from the acknowledged state
must be named by the store's loss report (table + id). A difference nobody was told of is a silent
loss: the one thing that must never happen.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

from deskwork.domain.cards import ReviewLog
from deskwork.domain.curriculum import Item
from deskwork.domain.drafts import Draft, Revision
from deskwork.store.manifest import read_manifest
from deskwork.store.schema import LOGS, TABLES
from deskwork.store.store import Store
from tests.helpers import T0, Clock, crash, make_card, make_focus

State = dict[str, dict[int, Any]]


def state_of(store: Store) -> State:
    """Every record by table and id (records compare field by field)."""
    out: State = {}
    for name in TABLES:
        out[name] = {d.id: d for d in store.tables[name].values()}
    for name in LOGS:
        out[name] = {d.id: d for d in store.logs[name].all()}
    return out


def build(data_dir: Path, clock: Clock, cards: int = 2100) -> State:
    """Two card shards, two review months, every table; a backup in the middle; a kept journal;
    a current journal with acknowledged transactions (the writer then 'crashes')."""
    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        for i in range(cards):
            tx.put("cards", make_card(f"card {i}"))
        for i in range(12):
            tx.put("items", Item(title=f"paper {i}", url=f"https://arxiv.org/abs/{i}", added=T0))
        for i in range(5):
            tx.put("drafts", Draft(title=f"post {i}", body="text " * 40, created=T0, updated=T0))
            tx.put("revisions", Revision(draft_id=i + 1, ts=T0, title=f"post {i}", body="old"))
        for i in range(6):
            tx.put("sessions", make_focus(T0 - timedelta(days=i)))
        tx.set_setting("theme", "nord")
        for i in range(40):
            ts = T0 - timedelta(days=20 + i)  # two months
            tx.append("reviews", ReviewLog(card_id=1 + i, rating=3, ts=ts, duration_ms=4000))
    store.close()
    clock.advance(hours=2)
    store = Store.open(data_dir, clock=clock)  # takes the backup
    with store.transaction() as tx:  # after the backup: only the journals hold these
        for i in (1, 2, 2050):
            card = store.cards.get(i)
            assert card is not None
            tx.put("cards", card.model_copy(update={"front": f"edited {i}"}))
        tx.put("items", Item(title="added after the backup", added=T0))
        tx.delete("drafts", 5)
        tx.append("reviews", ReviewLog(card_id=3, rating=4, ts=T0, duration_ms=3000))
    _bulk(store, "kept")  # a bulk import's line in the journal a backup needs replayed
    store.compact()  # journal of that generation kept: a backup is older than it
    for i in range(6):
        with store.transaction() as tx:
            tx.put("cards", make_card(f"late {i}"))
            tx.append("reviews", ReviewLog(card_id=2, rating=2, ts=T0 + timedelta(minutes=i)))
        if i == 2:
            _bulk(store, "current")  # and one between the current journal's lines
    acknowledged = state_of(store)
    crash(store)
    return acknowledged


def _bulk(store: Store, tag: str, n: int = 30) -> None:
    """An import's transaction: its cards and their answers as bulk ops."""
    with store.transaction() as tx:
        ids = tx.reserve_ids("cards", n)
        tx.put_many("cards", [make_card(f"{tag} bulk {k}", id=i) for k, i in enumerate(ids)])
        log_ids = tx.reserve_ids("reviews", n)
        tx.append_many(
            "reviews",
            [
                ReviewLog(id=j, card_id=i, rating=3, ts=T0 - timedelta(days=25), duration_ms=900)
                for i, j in zip(ids, log_ids, strict=True)
            ],
        )


def store_files(data_dir: Path) -> list[str]:
    """Every file of the live store: data files, kept and current journals, the manifest. A file
    the manifest names may be missing: one found damaged was moved aside, and until the next
    compaction writes it again every open rebuilds it (and says so)."""
    manifest = read_manifest(data_dir)
    assert manifest is not None
    names = [*manifest.files(), *manifest.kept_journals().values(), manifest.journal]
    return [n for n in [*names, "manifest.json"] if (data_dir / n).exists()]


KINDS = ["truncate", "zero", "flip", "{}", "[]", "types", "dir", "empty", "fifo"]
JOURNAL_KINDS = ["line-mid", "line-end", "truncate", "zero", "flip"]


def damage(path: Path, kind: str, rng: random.Random) -> None:
    data = path.read_bytes()
    if not data and kind in ("truncate", "zero", "flip", "line-mid", "line-end"):
        return  # nothing there to damage that way
    if kind in ("dir", "fifo"):  # something else in a file's place (a FIFO must not hang a read)
        path.unlink()
        path.mkdir() if kind == "dir" else os.mkfifo(path)
        return
    if kind == "truncate":
        out = data[: rng.randrange(0, max(1, len(data)))]
    elif kind == "zero":
        start = rng.randrange(0, max(1, len(data)))
        end = min(len(data), start + rng.randint(1, 4096))
        out = data[:start] + b"\x00" * (end - start) + data[end:]
    elif kind == "flip":
        buf = bytearray(data)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        out = bytes(buf)
    elif kind == "{}":
        out = b"{}"
    elif kind == "[]":
        out = b"[]"
    elif kind == "types":
        table = path.name.split("-")[0]
        out = b'{"%s": {"1": 5, "2": "text"}}' % table.encode()
    elif kind == "empty":
        out = b""
    elif kind in ("line-mid", "line-end"):
        lines = data.split(b"\n")[:-1]
        i = rng.randrange(max(1, len(lines) - 1)) if kind == "line-mid" else len(lines) - 1
        line = bytearray(lines[i])
        line[rng.randrange(9, len(line))] ^= 0x20
        lines[i] = bytes(line)
        out = b"\n".join(lines) + b"\n"
    else:
        raise ValueError(kind)
    path.write_bytes(out)


_IDS = re.compile(
    r"(\w+): \d+ records? (?:could not be recovered|(?:are|is) as of [^(]*|lost their last change[^)]*\))"
    r" ?\(ids ([^)]*)\)"
)


def told_ids(messages: list[str]) -> dict[str, set[int]]:
    """Ids the user was told about (parsed from the messages, as a user reads them)."""
    from deskwork.store.checksums import parse_ranges

    out: dict[str, set[int]] = {}
    for message in messages:
        for m in _IDS.finditer(message):
            out.setdefault(m[1], set()).update(parse_ranges(m[2].replace(" ", "")))
    return out


def silent_differences(
    acknowledged: State, got: State, told: dict[str, set[int]]
) -> dict[str, set[int]]:
    silent: dict[str, set[int]] = {}
    for table, docs in acknowledged.items():
        mine = got.get(table, {})
        differ = {i for i in set(docs) | set(mine) if docs.get(i) != mine.get(i)}
        hidden = differ - told.get(table, set())
        if hidden:
            silent[table] = hidden
    return silent


def fresh_copy(template: Path, target: Path) -> Path:
    shutil.copytree(template, target, symlinks=True)
    return target


def describe(state: State) -> dict[str, Any]:
    return {k: len(v) for k, v in state.items()}

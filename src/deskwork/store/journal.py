"""The fsync'd append journal: one line per committed transaction, each checksummed on its own.

Line format: `<crc32 as 8 hex digits> <json array of ops>\\n`. A line is acknowledged (durable) once
an fdatasync that began after it was written returns. Group commit (`JournalWriter`): a line is
written to the file at once, in order, on the writer's thread; the fdatasync may come later, on the
store's flusher thread, and one covers every line written before it. The contract:

- a crash of the process (kill -9) at any instant loses nothing written: the page cache holds
  every line, and replay applies each one that is complete;
- a power cut loses at most the lines written since the last returned fdatasync (a few ms of
  writes, never one the store acknowledged: the mark's header, the TUI's "saved", a CLI command's
  end and the remote channel's answer all come after it), and never leaves the journal unreadable
  (a torn or zeroed tail is cut off or reported, the lines before it replay);
- an fdatasync that fails is kept and reported (`JournalWriter.failure`), and its lines are
  written again from memory and synced at the next write or close.

Writing is journal_writer.py (`JournalWriter`); this module is the format, its replay and the mark.

Every line stands alone, so replay applies every intact line and skips only damaged ones:

- a last fragment without a newline that looks like the start of a line is a *torn append* (a crash
  mid-write: never acknowledged) and is dropped silently;
- anything else that does not check out is *damage* and is reported with its line number and the
  record ids it seems to name — a damaged line that ends in a newline, a line in the middle, a tail
  of zero bytes (what some file systems leave after a crash or a bad sync).

Ops: `["put",table,id,doc]`, `["del",table,id]`, `["app",log,month,id,doc]`, `["rm",log,month,id]`,
and the bulk ops an import writes (store/bulk.py): `["putm",table,{"<id>":doc,…}]` and
`["appm",log,month,{"<id>":doc,…}]`. A bulk op is one op of one line, so all or nothing like any
other; replay expands it into the plain ops it stands for, so everything that reads a journal
(replay, recovery, the mark's bookkeeping) sees only the four plain kinds.
"""

from __future__ import annotations

import contextlib
import json
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deskwork.store.checksums import ranges
from deskwork.store.files import read_path
from deskwork.store.repeats import pairs_hook, set_aside

Op = list[Any]
# What a damaged line still tells: the ops it held (`["put","cards",12,` …), found by pattern.
_OP_HINT = re.compile(
    rb'"([a-z_]+)",(?:"\d{4}-\d{2}",)?(\d{1,15})[,\]]|"id":(\d{1,15})[,}]'
    rb'|"(?:putm|appm)","([a-z_]+)",(?:"\d{4}-\d{2}",)?\{'
)
BULK_KINDS = ("putm", "appm")


def encode(ops_json: str) -> bytes:
    return encode_bytes(ops_json.encode())


def encode_bytes(body: bytes) -> bytes:
    return b"%08x %s\n" % (zlib.crc32(body), body)


def encode_parts(parts: list[bytes]) -> bytes:
    """The line whose body is `parts` joined: one copy of a bulk op's tens of megabytes, not
    three (each copy holds the GIL while the event loop waits)."""
    crc = 0
    for part in parts:
        crc = zlib.crc32(part, crc)
    return b"".join([b"%08x " % crc, *parts, b"\n"])


def expand(ops: list[Op]) -> list[Op]:
    """A transaction's bulk ops as the plain ops they stand for (plain ones as they are)."""
    if not any(op and op[0] in BULK_KINDS for op in ops):
        return ops
    out: list[Op] = []
    for op in ops:
        if not op or op[0] not in BULK_KINDS:
            out.append(op)
        elif op[0] == "putm" and len(op) == 3 and isinstance(op[2], dict):
            docs = set_aside(op[2])  # a repeated id: each earlier copy, a damaged record
            out.extend(["put", op[1], _int_or_key(k), doc] for k, doc in docs.items())
        elif op[0] == "appm" and len(op) == 4 and isinstance(op[3], dict):
            docs = set_aside(op[3])
            out.extend(["app", op[1], op[2], _int_or_key(k), doc] for k, doc in docs.items())
        else:
            out.append(op)  # malformed: replay reports it as such
    return out


def _int_or_key(key: str) -> int | str:
    try:
        return int(key)
    except ValueError:
        return key


@dataclass
class DamagedLine:
    number: int  # 1-based line number
    offset: int
    length: int
    reason: str
    ids: dict[str, set[int]] = field(default_factory=dict)  # table -> ids the line seems to name

    def __str__(self) -> str:
        named = "; ".join(
            f"{t} {', '.join(map(str, sorted(i)[:10]))}" for t, i in sorted(self.ids.items())
        )
        what = f" (it named {named})" if named else ""
        return f"line {self.number} ({self.length} bytes, {self.reason}){what}"


@dataclass
class Replay:
    transactions: list[list[Op]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # each transaction's 1-based line number
    damaged: list[DamagedLine] = field(default_factory=list)
    torn_tail: bool = False
    good_bytes: int = 0  # where the torn tail (if any) starts
    max_ids: dict[str, int] = field(default_factory=dict)  # highest id each table's ops name
    cut_bytes: int = 0  # acknowledged bytes missing from the end (the file was cut short)
    deleted: dict[str, set[int]] = field(default_factory=dict)  # ids intact ops delete

    @property
    def lost_tail(self) -> bool:
        """Transactions at the end are gone without a trace to name them (cut, or zeroed)."""
        last = self.damaged[-1] if self.damaged else None
        return bool(self.cut_bytes) or (last is not None and "tail" in last.reason)


def _decode(line: bytes) -> list[Op] | None:
    if len(line) < 10 or line[8:9] != b" ":
        return None
    body = line[9:]
    try:
        if int(line[:8], 16) != zlib.crc32(body):
            return None
        ops = json.loads(body, object_pairs_hook=pairs_hook)  # repeated keys: repeats.py
    except ValueError:
        return None
    return ops if isinstance(ops, list) and all(isinstance(op, list) for op in ops) else None


def _hints(line: bytes) -> dict[str, set[int]]:
    """Table -> ids a damaged line still names: by its ops, and by the ids inside its documents
    (each id is written twice: one flipped bit cannot hide both)."""
    found: dict[str, set[int]] = {}
    table = None
    for m in _OP_HINT.finditer(line):
        if m[1] is not None:
            table = m[1].decode()
            found.setdefault(table, set()).add(int(m[2]))
        elif m[4] is not None:
            table = m[4].decode()
        elif table is not None:
            found.setdefault(table, set()).add(int(m[3]))
    return found


def _looks_torn(fragment: bytes) -> bool:
    """A crash mid-append leaves a prefix of a line: hex digits, a space, JSON text, no NUL."""
    if b"\x00" in fragment:
        return False
    head = fragment[:9]
    return all(c in b"0123456789abcdef" for c in head[:8]) and (len(head) < 9 or head[8:] == b" ")


def parse(data: bytes, acknowledged: int = 0) -> Replay:
    """Every intact transaction in `data`; `acknowledged`: the length the writer noted (a journal
    shorter than that was cut: its last fragment is damage, not a torn append)."""
    result = Replay()
    lines = data.split(b"\n")
    complete, tail = lines[:-1], lines[-1]
    offset = 0
    for number, line in enumerate(complete, start=1):
        ops = _decode(line)
        if ops is not None:
            ops = expand(ops)
        if ops is None:
            reason = "zero-filled" if line and not line.strip(b"\x00") else "checksum mismatch"
            result.damaged.append(DamagedLine(number, offset, len(line), reason, _hints(line)))
        else:
            result.transactions.append(ops)
            result.lines.append(number)
            for op in ops:
                _note_id(result.max_ids, op)
                if op and op[0] in ("del", "rm"):
                    with contextlib.suppress(IndexError, TypeError, ValueError):
                        result.deleted.setdefault(str(op[1]), set()).add(int(op[-1]))
        offset += len(line) + 1
    result.good_bytes = offset
    cut = acknowledged > len(data)
    if cut:
        result.cut_bytes = acknowledged - len(data)
    if tail:
        if _looks_torn(tail) and not cut:
            result.torn_tail = True
        else:
            reason = "zero-filled tail" if not tail.strip(b"\x00") else "damaged tail"
            number = len(complete) + 1
            result.damaged.append(DamagedLine(number, offset, len(tail), reason, _hints(tail)))
    for hints in (d.ids for d in result.damaged):
        for table, ids in hints.items():
            result.max_ids[table] = max(result.max_ids.get(table, 0), *ids)
    return result


def _note_id(max_ids: dict[str, int], op: Op) -> None:
    try:
        name, doc_id = op[1], int(op[-2] if op[0] in ("put", "app") else op[-1])
    except (IndexError, TypeError, ValueError):
        return
    if isinstance(name, str) and max_ids.get(name, 0) < doc_id:
        max_ids[name] = doc_id


def replay(path: Path) -> Replay:
    """Read every committed transaction in `path` (missing file: nothing)."""
    try:
        data = read_path(path)
    except FileNotFoundError:
        return Replay()
    mark = read_mark(path.parent)
    return parse(data, mark.size if mark and mark.journal == path.name else 0)


MARK_NAME = "journal.mark"
# The mark: a header "<journal> <acknowledged bytes> <id counters>" (padded to HEADER bytes), then
# one "table:id,…;" entry per transaction written, in the journal's order (appended with the line;
# the header is rewritten only after the fdatasync covering it returned, so its byte count never
# exceeds what is durable). Never fsync'd itself (it only has to outlive the process): a journal
# shorter than its header says was cut after the fact, and the entries name exactly the records a
# damaged or lost transaction held.
HEADER = 1024


@dataclass
class Mark:
    journal: str
    size: int
    counters: dict[str, int]
    transactions: list[set[tuple[str, int]]]


def _entry(text: str) -> set[tuple[str, int]]:
    """ "cards:12,reviews:7" or, for a bulk op, a range "reviews:1-250000"."""
    out: set[tuple[str, int]] = set()
    for token in filter(None, text.split(",")):
        table, _, doc_id = token.partition(":")
        first, _, last = doc_id.partition("-")
        if last:
            out.update((table, i) for i in range(int(first), int(last) + 1))
        else:
            out.add((table, int(doc_id)))
    return out


def read_mark(folder: Path, *, header_only: bool = False) -> Mark | None:
    """The mark; `header_only`: without its entries (a bulk import's can name 250k records)."""
    try:
        raw = read_path(folder / MARK_NAME) if not header_only else _head(folder / MARK_NAME)
        name, size, counters = raw[:HEADER].decode().split(maxsplit=2)
        found = json.loads(counters)
        entries = [] if header_only else raw[HEADER:].decode().split(";")[:-1]
        txs = [_entry(e) for e in entries]
        return Mark(name, int(size), {str(k): int(v) for k, v in found.items()}, txs)
    except (OSError, ValueError, AttributeError, UnicodeDecodeError):
        return None


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(HEADER)


def entry_of(ops: list[Op]) -> set[tuple[str, int]]:
    """The (table, id) pairs a replayed transaction writes (as its mark entry lists them)."""
    out = set()
    for op in ops:
        with contextlib.suppress(IndexError, TypeError, ValueError):
            out.add((str(op[1]), int(op[-2] if op[0] in ("put", "app") else op[-1])))
    return out


def touched(parsed: list[Op]) -> str:
    """The mark entry of one transaction: every table:id it writes."""
    ids = []
    for op in parsed:
        if op[0] in BULK_KINDS:  # the ids as ranges: "reviews:1-250000"
            docs = op[-1]
            low, high = min(docs), max(docs)
            runs = f"{low}-{high}" if high - low + 1 == len(docs) else ranges(docs)
            ids += [f"{op[1]}:{run}" for run in runs.split(",") if run]
            continue
        doc_id = op[-2] if op[0] in ("put", "app") else op[-1]
        ids.append(f"{op[1]}:{getattr(doc_id, 'id', doc_id)}")
    return ",".join(ids) + ";"

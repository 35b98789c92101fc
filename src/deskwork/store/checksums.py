"""What makes every store file verifiable: a strong checksum, the size and the ids a file holds.

The manifest records a `FileSum` for every table shard, log segment and kept journal it names; a
backup's manifest does the same for its copies. A file whose bytes do not hash to its recorded sum is
damaged, whatever it parses as. The ids let a recovery say exactly which records it could not get back.
"""

# No `from __future__ import annotations` here: pydantic would evaluate each field's annotation
# from its text as the class is made, at every start (tests/test_startup_laziness.py).
import hashlib
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

DIGEST_SIZE = 20  # blake2b-160: collisions are out of reach; hashing runs at ~1 GB/s


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=DIGEST_SIZE).hexdigest()


class FileSum(BaseModel):
    model_config = ConfigDict(defer_build=True)  # built with the manifest that holds it

    size: int
    b2: str
    ids: str = ""  # the record ids the file holds, as ranges: "1-2000,2004"

    def matches(self, data: bytes) -> bool:
        return len(data) == self.size and digest(data) == self.b2

    def id_set(self) -> set[int]:
        return parse_ranges(self.ids)


def sum_of(data: bytes, ids: Iterable[int] = ()) -> FileSum:
    return FileSum(size=len(data), b2=digest(data), ids=ranges(ids))


def ranges(ids: Iterable[int]) -> str:
    """`[1, 2, 3, 7]` -> "1-3,7" (shards and log segments hold runs of ids: the text stays short)."""
    out: list[str] = []
    start = prev = None
    for i in sorted(set(ids)):
        if prev is not None and i == prev + 1:
            prev = i
            continue
        if start is not None:
            out.append(f"{start}-{prev}" if prev != start else f"{start}")
        start = prev = i
    if start is not None:
        out.append(f"{start}-{prev}" if prev != start else f"{start}")
    return ",".join(out)


def parse_ranges(text: str) -> set[int]:
    found: set[int] = set()
    for part in filter(None, text.split(",")):
        first, _, last = part.partition("-")
        try:
            found.update(range(int(first), int(last or first) + 1))
        except ValueError:
            continue
    return found


def highest_id(text: str) -> int:
    """The highest id in a `ranges` text (0 for none): its last run's end, read without
    expanding anything ("1-2000,2004" -> 2004)."""
    last = text.rpartition(",")[2]
    try:
        return int(last.rpartition("-")[2] or 0)
    except ValueError:  # damaged text: the whole of it, as far as it reads
        return max(parse_ranges(text), default=0)


def describe_ids(ids: Iterable[int], limit: int = 20) -> str:
    """ "ids 3, 4, 9" or "ids 1-2000" — short enough for one line of a report."""
    text = ranges(ids)
    parts = text.split(",")
    if len(parts) > limit:
        text = ",".join(parts[:limit]) + f", … ({len(parts) - limit} more runs)"
    return "ids " + text.replace(",", ", ")

"""What one card and one review-log row cost in memory, as pydantic builds them and as the store holds
them (store/lean.py), measured in the same run with tracemalloc on a generated data dir.

    python benchmarks/memory.py [--scale heavy] [--json]      (or on a data dir: --data DIR)

`card_bytes_pydantic` / `review_row_bytes_pydantic`: the records of one table file validated as
before (a TypeAdapter over the file, nothing shared); `card_bytes` / `review_row_bytes`: the same
file through the store's codec; `review_rows_resident_max`: the most review rows in memory while the
whole log is read (`iter_all`), against `review_rows`.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import sys
import tempfile
import tracemalloc
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import report
from workload import SCALES, generate

from deskwork.store.store import Store


def _bytes_per_record(build: Any) -> tuple[float, int]:
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        docs = build()
        gc.collect()
        used = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    return used / max(1, len(docs)), len(docs)


def _plain(adapter: Any, raw: bytes, name: str) -> Any:
    return adapter.validate_json(raw)[name]


def _lean(codec: Any, raw: bytes) -> Any:
    return codec.decode(raw)[0]


def measure_memory(data_dir: Path) -> dict[str, float]:
    from pydantic import TypeAdapter

    store = Store.open(data_dir, readonly=True)
    out: dict[str, float] = {}
    try:
        cards_file = store.cards.files[min(store.cards.files)]
        month = max(store.reviews.months(), key=lambda m: len(store.reviews.segments.get(m, [])))
        review_file = store.reviews.segments[month][0]
        for name, file_name, key in (
            ("cards", cards_file, "card_bytes"),
            ("reviews", review_file, "review_row_bytes"),
        ):
            raw = (data_dir / file_name).read_bytes()
            codec = store._codecs[name]
            plain = TypeAdapter(dict[str, dict[int, codec.model]])  # type: ignore[name-defined]
            plain.validate_json(raw)  # built before measuring
            codec.decode(raw)
            as_before, n = _bytes_per_record(partial(_plain, plain, raw, name))
            as_now, _ = _bytes_per_record(partial(_lean, codec, raw))
            out[f"{key}_pydantic"] = round(as_before)
            out[key] = round(as_now)
            out[f"{key}_records"] = n
        log = store.reviews
        most = total = 0
        for _ in log.iter_all():
            total += 1
            if total % 5000 == 0:
                most = max(most, sum(len(log.month(m)) for m in log.loaded_months()))
        out["review_rows"] = total
        out["review_rows_resident_max"] = most
    finally:
        store.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="heavy")
    parser.add_argument("--data", metavar="DIR", help="measure this data dir instead")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="deskwork-mem-"))
    try:
        data_dir = Path(args.data) if args.data else work / "data"
        if not args.data:
            generate(data_dir, SCALES[args.scale])
        result: dict[str, object] = {"scale": args.data or args.scale, **measure_memory(data_dir)}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(result, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

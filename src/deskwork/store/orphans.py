"""Deleting the data files no manifest names any more: what a compaction replaced, and what one that
was cut short left behind. At every opening (store.py) and after each compaction (compaction.py);
on its own so that opening does not import the compaction."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from deskwork.store.manifest import JOURNAL_FILE, SEGMENT_FILE, TABLE_FILE

if TYPE_CHECKING:
    from deskwork.store.manifest import Manifest
    from deskwork.store.store import Store


def remove_orphans(store: Store) -> None:
    """Delete data files no manifest names any more (never corrupt-aside files or backups)."""
    manifest: Manifest = store.manifest
    with store._pin_lock:
        keep = {*manifest.files(), manifest.journal, *manifest.kept_journals().values()}
        keep |= store._pinned
    for log in store.logs.values():  # segments a thread is reading (LogTable.month)
        with log.lock:
            keep |= set(log.reading)
    for name in list(store.retired_sums):  # a replaced file no one reads: never read again
        if name not in keep:
            store.retired_sums.pop(name, None)
    for path in store.data_dir.iterdir():
        name = path.name
        ours = TABLE_FILE.match(name) or SEGMENT_FILE.match(name) or JOURNAL_FILE.match(name)
        stale_tmp = name.startswith(".") and ".tmp-" in name
        if (ours and name not in keep) or stale_tmp:
            with contextlib.suppress(OSError):
                path.unlink()

"""A transaction: writes collected in memory, made durable as one checksummed journal line."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from deskwork.domain.records import Record
from deskwork.domain.settings import Setting
from deskwork.store.bulk import BulkOp, Progress, by_month
from deskwork.store.logs import month_of
from deskwork.store.schema import LOG_TIME_FIELD, LOGS, TABLES

if TYPE_CHECKING:
    from deskwork.store.store import Store

R = TypeVar("R", bound=Record)


class Transaction:
    """Collects writes; on a clean exit they become one durable journal line, then visible.

    `put_many` / `append_many` add bulk ops (store/bulk.py): records validated already (the
    caller's boundary check), each with its id (`reserve_ids`). `progress(done, total)` is
    called while a bulk transaction is serialised, and `cancelled()` asked: when it says so the
    commit raises `Cancelled` and nothing is written."""

    def __init__(
        self,
        store: Store,
        *,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self.store = store
        self._ops: list[str] = []
        self._parsed: list[list[Any]] = []
        self._bulk: list[BulkOp] = []
        self.skipped: dict[str, set[int]] = {}  # conditional puts left out (see put_many)
        self.progress = progress
        self.cancelled = cancelled

    def put(self, table: str, doc: R) -> R:
        if table not in TABLES:
            raise KeyError(f"unknown table {table!r}")
        if doc.id == 0:
            doc = doc.model_copy(update={"id": self.store._next_id(table)})
        self._ops.append(f'["put",{json.dumps(table)},{doc.id},{doc.model_dump_json()}]')
        self._parsed.append(["put", table, doc.id, doc])
        return doc

    def put_many(
        self,
        table: str,
        docs: Iterable[Record],
        *,
        unchanged_since: Mapping[int, Record | None] | None = None,
    ) -> None:
        """Records that each have their id, as one bulk op (applied after the plain ops).
        `unchanged_since` (id -> the stored record each was made from): a record is written only
        if the table still holds that very object at the commit; the others are left out and
        named in `skipped[table]` (the caller redoes them from what is stored now). Work built
        from a snapshot on another thread cannot then overwrite a change made meanwhile."""
        if table not in TABLES:
            raise KeyError(f"unknown table {table!r}")
        group = {doc.id: doc for doc in docs}
        if 0 in group:
            raise ValueError("put_many: every record needs its id (reserve_ids)")
        if group:
            base = None if unchanged_since is None else dict(unchanged_since)
            self._bulk.append(BulkOp("putm", table, "", group, base))

    def append_many(self, log: str, docs: Iterable[Record]) -> None:
        """Log entries that each have their id, as one bulk op per month."""
        if log not in LOGS:
            raise KeyError(f"unknown log {log!r}")
        for month, group in by_month(docs, LOG_TIME_FIELD).items():
            if 0 in group:
                raise ValueError("append_many: every entry needs its id (reserve_ids)")
            self._bulk.append(BulkOp("appm", log, month, group))

    def reserve_ids(self, name: str, n: int) -> range:
        """`n` consecutive ids for records built by the caller."""
        return self.store._reserve_ids(name, n)

    def set_setting(self, key: str, value: Any) -> None:
        existing = self.store._setting_record(key)
        self.put("settings", Setting(id=existing.id if existing else 0, key=key, value=value))

    def delete(self, table: str, doc_id: int) -> None:
        if table not in TABLES:
            raise KeyError(f"unknown table {table!r}")
        self._ops.append(f'["del",{json.dumps(table)},{int(doc_id)}]')
        self._parsed.append(["del", table, int(doc_id)])

    def next_id(self, name: str) -> int:
        """An id for a record built here (saves the copy `put`/`append` make for id 0)."""
        return self.store._next_id(name)

    def append(self, log: str, doc: R) -> R:
        if log not in LOGS:
            raise KeyError(f"unknown log {log!r}")
        if doc.id == 0:
            doc = doc.model_copy(update={"id": self.store._next_id(log)})
        month = month_of(getattr(doc, LOG_TIME_FIELD))
        self._ops.append(f'["app",{json.dumps(log)},"{month}",{doc.id},{doc.model_dump_json()}]')
        self._parsed.append(["app", log, month, doc.id, doc])
        return doc

    def remove(self, log: str, doc: Record) -> None:
        month = month_of(getattr(doc, LOG_TIME_FIELD))
        self._ops.append(f'["rm",{json.dumps(log)},"{month}",{doc.id}]')
        self._parsed.append(["rm", log, month, doc.id])

    def __enter__(self) -> Transaction:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is not None:
            return
        if self._bulk:
            self.store._commit_bulk(self)
        elif self._ops:
            self.store._commit(self._ops, self._parsed)

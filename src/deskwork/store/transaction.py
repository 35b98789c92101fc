"""A transaction: writes collected in memory, made durable as one checksummed journal line."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TypeVar

from deskwork.domain.records import Record
from deskwork.domain.settings import Setting
from deskwork.store.logs import month_of
from deskwork.store.schema import LOG_TIME_FIELD, LOGS, TABLES

if TYPE_CHECKING:
    from deskwork.store.store import Store

R = TypeVar("R", bound=Record)


class Transaction:
    """Collects writes; on a clean exit they become one durable journal line, then visible."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._ops: list[str] = []
        self._parsed: list[list[Any]] = []

    def put(self, table: str, doc: R) -> R:
        if table not in TABLES:
            raise KeyError(f"unknown table {table!r}")
        if doc.id == 0:
            doc = doc.model_copy(update={"id": self.store._next_id(table)})
        self._ops.append(f'["put",{json.dumps(table)},{doc.id},{doc.model_dump_json()}]')
        self._parsed.append(["put", table, doc.id, doc])
        return doc

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
        if exc_type is None and self._ops:
            self.store._commit(self._ops, self._parsed)

"""The base every stored record derives from, and the UTC time helpers the models share."""

# No `from __future__ import annotations` here: pydantic would evaluate each field's annotation
# from its text as the class is made, at every start (tests/test_startup_laziness.py).
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)

from deskwork.domain.text import clean
from deskwork.domain.text import title as _title


def _to_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("datetime must carry a timezone (deskwork stores UTC)")
    return value.astimezone(UTC)


_from_iso = datetime.fromisoformat


def _utc(value: Any, handler: ValidatorFunctionWrapHandler) -> datetime:
    """`_to_utc(handler(value))`, pydantic's datetime then made UTC; but a time as the store writes
    it (`2026-10-19T12:58:00Z`, `…:00.123456Z`) is read by `datetime.fromisoformat`, whose
    result has the `UTC` tzinfo already: one call out of pydantic-core, not two (pydantic's value
    carries a `TzInfo(0)` of its own, and `astimezone` asks it for its offset), ~0.4 µs less a
    time, ~4 ms of every start at the heavy year (README, "Where a start goes"). Only that exact
    shape (digits checked by `fromisoformat`, the separators here: no week dates, no basic
    format) takes this path, where both readers agree; anything else, or a shape whose values
    are out of range (`2026-02-30…`), goes to pydantic as before, with its own error."""
    if (
        type(value) is str
        and (len(value) == 20 or (len(value) == 27 and value[19] == "."))
        and value[-1] == "Z"
        and value[10] == "T"
        and value[4] == value[7] == "-"
        and value[13] == value[16] == ":"
    ):
        try:
            return _from_iso(value)
        except ValueError:
            pass
    return _to_utc(handler(value))


UTCDateTime = Annotated[datetime, WrapValidator(_utc)]
"""A timezone-aware datetime, normalised to UTC. Naive datetimes are rejected, not guessed."""


Title = Annotated[str, AfterValidator(_title)]
"""A title or name as stored: one line, no control or bidi characters, at most MAX_TITLE_CHARS."""

Prose = Annotated[str, AfterValidator(clean)]
"""Free text as stored (a body, notes): lines kept, control sequences and bidi overrides removed."""


_EVERY_FIELD: dict[type[BaseModel], set[str]] = {}


def every_field(model: type[BaseModel]) -> set[str]:
    """One set of `model`'s field names, the same object each call: the fields-set shared by the
    records built with every field given (the Anki reader's review rows; store/lean.py shares it
    among the stored ones). Never changed in place (records are frozen)."""
    names = _EVERY_FIELD.get(model)
    if names is None:
        names = _EVERY_FIELD[model] = set(model.model_fields)
    return names


def empty_list() -> list[Any]:
    """`Field(default_factory=empty_list)`, not `list`: building a model's validator asks for its
    default factories' signatures, and a builtin's is parsed from text by `inspect` (the first
    time compiling tokenize's patterns: ~6 ms of every start, before the first frame)."""
    return []


def empty_dict() -> dict[Any, Any]:
    """`Field(default_factory=empty_dict)`, not `dict`: see `empty_list`."""
    return {}


def utcnow() -> datetime:
    """The real clock. Domain code takes a clock parameter; this is the default one."""
    return datetime.now(UTC)


_RECORD_HOOKS: list[Callable[[type[BaseModel]], None]] = []


def on_record_model(hook: Callable[[type[BaseModel]], None]) -> None:
    """Call `hook` with every record model: those made so far, and each one as its class is made
    (before any of its instances exists). The store settles how it holds their records in memory
    this way (store/lean.py) without importing the models of tables it has not read yet."""
    _RECORD_HOOKS.append(hook)
    todo: list[type[BaseModel]] = [Record]
    while todo:
        model = todo.pop()
        todo.extend(model.__subclasses__())
        if model is not Record:
            hook(model)


class Record(BaseModel):
    """A stored document. `id` is the TinyDB document id; 0 means "not stored yet"."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: int = 0

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        for hook in _RECORD_HOOKS:
            hook(cls)

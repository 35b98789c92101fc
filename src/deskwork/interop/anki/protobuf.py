"""Just enough protobuf to read what Anki stores as protobuf blobs (note type and deck configs, the
media map): a message's fields by number, varints as ints, everything else as its bytes."""

from __future__ import annotations

from collections.abc import Iterator

Fields = dict[int, list[int | bytes]]


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while at < len(data):
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at += 1
        if not byte & 0x80:
            return value, at
        shift += 7
        if shift > 63:
            break
    raise ValueError("bad varint")


def _each(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    at = 0
    while at < len(data):
        key, at = _varint(data, at)
        number, wire = key >> 3, key & 7
        value: int | bytes
        if wire == 0:
            value, at = _varint(data, at)
        elif wire == 1:
            value, at = data[at : at + 8], at + 8
        elif wire == 2:
            length, at = _varint(data, at)
            value, at = data[at : at + length], at + length
        elif wire == 5:
            value, at = data[at : at + 4], at + 4
        else:
            raise ValueError(f"unsupported wire type {wire}")
        if at > len(data):
            raise ValueError("truncated message")
        yield number, value


def fields(data: bytes) -> Fields:
    """Every field of the message; a damaged message raises ValueError."""
    out: Fields = {}
    for number, value in _each(data):
        out.setdefault(number, []).append(value)
    return out


def fields_before_damage(data: bytes) -> Fields:
    """The fields read before the first damage (none is raised): for optional extras."""
    out: Fields = {}
    try:
        for number, value in _each(data):
            out.setdefault(number, []).append(value)
    except ValueError:
        pass
    return out

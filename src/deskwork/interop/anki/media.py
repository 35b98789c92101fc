"""Media files in an Anki package, both ways.

Reading: the `media` member maps zip members to file names — legacy packages as JSON
(`{"0": "fig.png"}`, members stored plainly), current ones as zstd-compressed protobuf
(`MediaEntries`, members "0", "1"… each zstd-compressed). Names go through Anki's own filename
rules (NFC, no `[]<>:"/?*^\\|`, no control characters, at most 120 bytes); a name those rules
change, or one that is `.`/`..`, is refused (a hostile package), and counted. Each file is read
under a size cap, one at a time (a caller stores it before the next is read).

Writing: files named by the exported notes, as a legacy package carries them."""

from __future__ import annotations

import json
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from deskwork.interop.anki.model import AnkiError, ImportLimits
from deskwork.interop.anki.protobuf import fields_before_damage

MAX_NAME_BYTES = 120
_DISALLOWED = re.compile(r'[\[\]<>:"/?*^\\|\x00-\x1f\x7f]')
_REFERENCES = re.compile(
    r"""<img[^>]*?\ssrc\s*=\s*(?:"([^"]+)"|'([^']+)'|([^\s>]+))|\[sound:([^\]]+)\]""", re.I
)


def safe_name(name: str) -> str | None:
    """`name` if Anki's filename rules leave it as it is, else None (never a path)."""
    normal = unicodedata.normalize("NFC", name)
    if (
        normal != name
        or not name
        or name in (".", "..")
        or _DISALLOWED.search(name)
        or len(name.encode()) > MAX_NAME_BYTES
    ):
        return None
    return name


def referenced(field_html: str) -> set[str]:
    """Media file names a field refers to (images and sounds)."""
    out: set[str] = set()
    for m in _REFERENCES.finditer(field_html):
        name = next(g for g in m.groups() if g)
        out.add(name.strip())
    return out


def rename_references(field_html: str, renames: dict[str, str]) -> str:
    """`field_html` with the media it names renamed."""

    def swap(m: re.Match[str]) -> str:
        whole = m.group(0)
        name = next(g for g in m.groups() if g).strip()
        return whole.replace(name, renames[name]) if name in renames else whole

    return _REFERENCES.sub(swap, field_html)


@dataclass(frozen=True)
class MediaEntry:
    name: str
    member: str
    compressed: bool


def entries(archive: zipfile.ZipFile, path: Path) -> tuple[list[MediaEntry], int]:
    """The package's media files, and how many names were refused."""
    names = set(archive.namelist())
    if "media" not in names:
        return [], 0
    raw = archive.read("media")
    listed: list[tuple[str, str]] = []
    compressed = False
    try:
        mapping = json.loads(raw.decode("utf-8"))
        if not isinstance(mapping, dict):
            raise ValueError("not a map")
        listed = [(str(k), str(v)) for k, v in mapping.items()]
    except (UnicodeDecodeError, ValueError):
        import zstandard

        try:
            data = zstandard.ZstdDecompressor().stream_reader(raw).read(64 * 1024 * 1024)
        except zstandard.ZstdError as exc:
            raise AnkiError(f"{path}: the media list is neither JSON nor zstd ({exc})") from None
        compressed = True
        for n, entry in enumerate(fields_before_damage(data).get(1, [])):
            if isinstance(entry, bytes):
                fields = fields_before_damage(entry)
                value = fields.get(1, [b""])[-1]
                name = value.decode("utf-8", "replace") if isinstance(value, bytes) else ""
                listed.append((str(n), name))
    out: list[MediaEntry] = []
    refused = 0
    for member, name in listed:
        safe = safe_name(name)
        if safe is None or member not in names:
            refused += 1
            continue
        out.append(MediaEntry(safe, member, compressed))
    return out, refused


def read_files(
    path: Path, limits: ImportLimits, wanted: set[str] | None = None
) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) for each media file of the package (only `wanted` names when given)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise AnkiError(f"{path}: not an Anki package (a zip file): {exc}") from None
    with archive:
        found, _ = entries(archive, path)
        total = 0
        for entry in found:
            if wanted is not None and entry.name not in wanted:
                continue
            with archive.open(entry.member) as fh:
                data = fh.read(limits.max_media_bytes + 1)
            if entry.compressed:
                import zstandard

                try:
                    data = (
                        zstandard.ZstdDecompressor()
                        .stream_reader(data)
                        .read(limits.max_media_bytes + 1)
                    )
                except zstandard.ZstdError as exc:
                    raise AnkiError(
                        f"{path}: media file {entry.name!r} is damaged ({exc})"
                    ) from None
            if len(data) > limits.max_media_bytes:
                raise AnkiError(
                    f"{path}: refused: media file {entry.name!r} is larger than "
                    f"{limits.max_media_bytes / 1e6:.0f} MB"
                )
            total += len(data)
            if total > limits.max_total_bytes:
                raise AnkiError(
                    f"{path}: refused: media over {limits.max_total_bytes / 1e6:.0f} MB"
                )
            yield entry.name, data

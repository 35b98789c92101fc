"""Unpacking an Anki package's collection, bounded: member names that stay in the package's
folder, and a decompressed size capped WHILE streaming (zip members and zstd alike), so neither
the temp file nor memory grows past the caps however the package lies about itself."""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath
from typing import IO

from deskwork.interop.anki.model import AnkiError, ImportLimits, MiB


def check_names(path: Path, archive: zipfile.ZipFile) -> None:
    for info in archive.infolist():
        name = info.filename
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or len(pure.parts) != 1 or ":" in name:
            raise AnkiError(f"{path}: refused: member {name!r} escapes the package's folder")


def _refused(path: Path, what: str, limit: int) -> AnkiError:
    return AnkiError(f"{path}: refused: {what} decompresses to more than {limit / MiB:.0f} MB")


def _copy_capped(source: IO[bytes], target: IO[bytes], cap: int, path: Path, what: str) -> None:
    """Copy in 1 MB chunks, refusing as soon as more than `cap` bytes came out: the temp file
    never grows past the cap and memory holds one chunk."""
    written = 0
    while chunk := source.read(MiB):
        written += len(chunk)
        if written > cap:
            raise _refused(path, what, cap)
        target.write(chunk)


def unpack(
    path: Path, archive: zipfile.ZipFile, name: str, target: Path, limits: ImportLimits
) -> None:
    """The collection member into `target`, decompressed (zstd for `.anki21b`) while streaming,
    under the caps: its declared size, its expansion ratio, and the bytes actually produced."""
    info = archive.getinfo(name)
    cap = limits.max_total_bytes
    if info.file_size > cap:
        raise _refused(path, name, cap)
    ratio_cap = max(limits.ratio_floor_bytes, info.compress_size * limits.max_ratio)
    if info.file_size > ratio_cap:
        raise AnkiError(
            f"{path}: refused: {name} expands {info.file_size // max(info.compress_size, 1)}× "
            "(a zip bomb?)"
        )
    with archive.open(name) as member, open(target, "wb") as out:
        if not name.endswith("b"):
            _copy_capped(member, out, cap, path, name)  # zipfile stops at the declared size
            return
        import zstandard

        try:
            decompressor = zstandard.ZstdDecompressor(max_window_size=limits.max_window_bytes)
            unpacked_cap = min(
                cap, max(limits.ratio_floor_bytes, info.file_size * limits.max_ratio)
            )
            with decompressor.stream_reader(member, read_across_frames=True) as reader:
                _copy_capped(reader, out, unpacked_cap, path, name)
        except zstandard.ZstdError as exc:
            raise AnkiError(f"{path}: {name} is not valid zstd data ({exc})") from None

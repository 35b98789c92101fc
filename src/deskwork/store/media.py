"""Media bytes under the data dir, content-addressed: `media/<sha[:2]>/<sha>`, written atomically
once per content (the same image in two decks is one file). Names never reach the file system:
a file's path comes only from the hash of its bytes. The index (name -> hash) is the `media` table;
a blob whose index entry was never committed (an import that failed) is simply unreferenced."""

from __future__ import annotations

import hashlib
from pathlib import Path

from deskwork.store.fsutil import atomic_write


class MediaFolder:
    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / "media"

    def path_of(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha-256: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        """Store `data` (if not there yet); returns its sha-256."""
        digest = hashlib.sha256(data).hexdigest()
        target = self.path_of(digest)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            atomic_write(target, data)
        return digest

    def read(self, sha256: str) -> bytes:
        return self.path_of(sha256).read_bytes()

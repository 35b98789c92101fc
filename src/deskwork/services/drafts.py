"""Draft-post use-cases: create, save (with revision snapshots), trash and restore, export, import."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from deskwork.domain.drafts import (
    Draft,
    DraftSource,
    DraftStatus,
    Revision,
    revision_due,
)
from deskwork.services.desk import Desk
from deskwork.store.store import Store

CURSORS = "draft_cursors"  # settings record: draft id -> [row, column] of the cursor
# settings record: exported file (resolved path) -> {"draft": id, "b2": digest of what was written}
EXPORTS = "draft_exports"


class DraftError(ValueError):
    pass


class ExportRefused(DraftError):
    """The export's file exists and is not this draft's own unchanged earlier export: nothing was
    written. `seen`: the digest of the file as found (`export(agreed=seen)` replaces that very
    file, and no other version of it)."""

    def __init__(self, path: Path, why: str, seen: str) -> None:
        super().__init__(f"{path} {why}: not replaced")
        self.path, self.why, self.seen = path, why, seen


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


class DraftService:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.config = desk.config.drafts

    @property
    def store(self) -> Store:
        return self.desk.store

    def get(self, draft_id: int) -> Draft:
        draft = self.store.drafts.get(draft_id)
        if draft is None:
            raise DraftError(f"no draft with id {draft_id} (see `deskwork drafts list`)")
        return draft

    def listing(self, *, trash: bool = False) -> list[Draft]:
        drafts = [d for d in self.store.drafts.values() if (d.deleted is not None) == trash]
        return sorted(drafts, key=lambda d: d.updated, reverse=True)

    def create(self, title: str, body: str = "") -> Draft:
        now = self.desk.clock()
        title = title.strip() or "Untitled"
        with self.store.transaction() as tx:
            return tx.put(
                "drafts",
                Draft(title=title, body=body, status=DraftStatus.DRAFT, created=now, updated=now),
            )

    def update(self, draft_id: int, **fields: Any) -> Draft:
        draft = self.get(draft_id)
        changed = Draft.model_validate(draft.model_dump() | fields | {"updated": self.desk.clock()})
        with self.store.transaction() as tx:
            return tx.put("drafts", changed)

    # A reopened draft puts the cursor back where it was (kept across restarts).
    def cursor(self, draft_id: int) -> list[int] | None:
        """[row, column] where the editor's cursor was left in the draft, if known."""
        saved = (self.store.setting(CURSORS) or {}).get(str(draft_id))
        return saved if isinstance(saved, list) and len(saved) == 2 else None

    def _cursors_with(self, draft_id: int, cursor: list[int] | None) -> dict[str, Any] | None:
        """The cursors setting with the draft's at `cursor`; None when that changes nothing."""
        cursors = dict(self.store.setting(CURSORS) or {})
        if cursor is None or cursors.get(str(draft_id)) == cursor or self.store.readonly:
            return None
        cursors[str(draft_id)] = cursor
        return cursors

    def remember_cursor(self, draft_id: int, cursor: list[int]) -> None:
        cursors = self._cursors_with(draft_id, cursor)
        if cursors is not None:
            self.store.set_setting(CURSORS, cursors)

    def save_text(self, draft_id: int, body: str, cursor: list[int] | None = None) -> Draft:
        """Save the body and the editor's `cursor` in it (one durable write: an autosave while
        typing was two, each an fsync on the UI thread); snapshot a revision when the last one
        is old enough."""
        draft = self.get(draft_id)
        if body == draft.body:
            if cursor is not None:
                self.remember_cursor(draft_id, cursor)
            return draft
        now = self.desk.clock()
        revisions = self.revisions(draft_id)
        every_s = self.config.revision_every_minutes * 60
        cursors = self._cursors_with(draft_id, cursor)
        with self.store.transaction() as tx:
            if cursors is not None:
                tx.set_setting(CURSORS, cursors)
            if draft.body and revision_due(revisions[0].ts if revisions else None, now, every_s):
                tx.put(
                    "revisions",
                    Revision(draft_id=draft_id, ts=now, title=draft.title, body=draft.body),
                )
                for old in revisions[self.config.keep_revisions - 1 :]:
                    tx.delete("revisions", old.id)
            return tx.put("drafts", draft.model_copy(update={"body": body, "updated": now}))

    def revisions(self, draft_id: int) -> list[Revision]:
        found = [r for r in self.store.tables["revisions"].values() if r.draft_id == draft_id]
        return sorted(found, key=lambda r: r.ts, reverse=True)

    def restore_revision(self, revision_id: int) -> Draft:
        """Make a revision the current text; the text it replaces becomes a revision itself."""
        revision = self.store.tables["revisions"].get(revision_id)
        if revision is None:
            raise DraftError(f"no revision {revision_id}")
        draft = self.get(revision.draft_id)
        now = self.desk.clock()
        with self.store.transaction() as tx:
            tx.put(
                "revisions",
                Revision(draft_id=draft.id, ts=now, title=draft.title, body=draft.body),
            )
            return tx.put(
                "drafts", draft.model_copy(update={"body": revision.body, "updated": now})
            )

    def trash(self, draft_id: int) -> Draft:
        return self.update(draft_id, deleted=self.desk.clock())

    def untrash(self, draft_id: int) -> Draft:
        return self.update(draft_id, deleted=None)

    def purge_trash(self) -> int:
        """Delete drafts (and their revisions) that spent 30 days in the trash."""
        now = self.desk.clock()
        due = [d for d in self.store.drafts.values() if d.purge_due(now)]
        if due and not self.store.readonly:
            with self.store.transaction() as tx:
                for draft in due:
                    tx.delete("drafts", draft.id)
                    for revision in self.revisions(draft.id):
                        tx.delete("revisions", revision.id)
        return len(due)

    def add_source(self, draft_id: int, source: DraftSource) -> Draft:
        draft = self.get(draft_id)
        if source in draft.sources:
            return draft
        return self.update(draft_id, sources=[*draft.sources, source])

    def export(
        self,
        draft_id: int,
        flavour: str | None = None,
        folder: Path | None = None,
        *,
        replace: bool = False,
        agreed: str | None = None,
    ) -> Path:
        """Write the draft as `<slug>.md` in the blog folder. A file already there is replaced
        only if it is this draft's own earlier export, unchanged since (or holds exactly what
        would be written); any other — another post, or this draft's export edited by hand —
        raises ExportRefused, unless `replace`, or `agreed` is the digest ExportRefused gave for
        the file as it still is. Each export is recorded (path and digest of what was written)."""
        from deskwork.interop.frontmatter import Flavour, export_text  # with the first export
        from deskwork.store.fsutil import atomic_write

        draft = self.get(draft_id)
        chosen = Flavour(flavour or self.config.flavour)
        configured = Path(self.config.export_dir).expanduser() if self.config.export_dir else None
        out = folder or configured or self.desk.paths.exports_dir
        target = (out / f"{draft.effective_slug}.md").absolute()
        data = export_text(draft, chosen, self.desk.clock()).encode()
        key = str(target.resolve())
        exports = dict(self.store.setting(EXPORTS) or {})
        if not replace:
            self._check_target(draft, target, data, exports.get(key), agreed)
        out.mkdir(parents=True, exist_ok=True)
        atomic_write(target, data)
        if not self.store.readonly:
            exports[key] = {"draft": draft.id, "b2": _digest(data)}
            self.store.set_setting(EXPORTS, exports)
        return target

    def _check_target(
        self, draft: Draft, target: Path, data: bytes, record: Any, agreed: str | None
    ) -> None:
        """Raise ExportRefused unless writing `data` to `target` loses nothing."""
        try:
            found = target.read_bytes()
        except FileNotFoundError:
            return
        except IsADirectoryError:
            raise DraftError(f"{target} is a folder: not replaced") from None
        seen = _digest(found)
        if found == data or (agreed is not None and agreed == seen):
            return
        record = record if isinstance(record, dict) else {}
        if record.get("draft") == draft.id:
            if record.get("b2") == seen:
                return
            raise ExportRefused(target, "was changed since this draft was exported to it", seen)
        other = self.store.drafts.get(record["draft"]) if record.get("draft") else None
        why = f"holds another draft's export ({other.title})" if other else "already exists"
        if other is not None and record.get("b2") != seen:
            why += " and was changed since"
        raise ExportRefused(target, why, seen)

    def import_file(self, path: Path) -> Draft:
        """Raises InteropError naming the file (and line) when it cannot be read as a post."""
        from deskwork.interop import importing, read_user_file
        from deskwork.interop.frontmatter import draft_from_text
        from deskwork.interop.limits import POST

        with importing(path):
            text = read_user_file(path, POST.max_bytes, POST.what)
            draft = draft_from_text(text, str(path), self.desk.clock())
        with self.store.transaction() as tx:
            return tx.put("drafts", draft)

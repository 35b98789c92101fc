"""Draft-post use-cases: create, save (with revision snapshots), trash and restore, export, import."""

from __future__ import annotations

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


class DraftError(ValueError):
    pass


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

    def export(self, draft_id: int, flavour: str | None = None, folder: Path | None = None) -> Path:
        from deskwork.interop.frontmatter import Flavour, export_file  # with the first export

        draft = self.get(draft_id)
        chosen = Flavour(flavour or self.config.flavour)
        configured = Path(self.config.export_dir).expanduser() if self.config.export_dir else None
        out = folder or configured or self.desk.paths.exports_dir
        return export_file(draft, chosen, out, self.desk.clock()).absolute()

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

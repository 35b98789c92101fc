"""`deskwork drafts …`: list, show, export, import and start draft posts from the shell."""

from __future__ import annotations

import argparse
from typing import Any

from deskwork.clikit import CliError, emit, open_desk, say, user_path
from deskwork.domain.wording import plural
from deskwork.paths import Paths


def _drafts(paths: Paths, *, readonly: bool, what: str) -> Any:
    from deskwork.services.drafts import DraftService

    return DraftService(open_desk(paths, readonly=readonly, what=what))


def cmd_drafts_list(args: argparse.Namespace, paths: Paths) -> int:
    drafts = _drafts(paths, readonly=True, what="deskwork drafts list").listing(trash=args.trash)
    data = [
        {
            "id": d.id,
            "title": d.title,
            "slug": d.slug,
            "status": d.status.value,
            "words": d.words,
            "updated": d.updated.isoformat(),
        }
        for d in drafts
    ]
    text = "\n".join(
        f"{d.id:>4}  {d.status.value:<9} {plural(d.words, 'word'):>12}  {d.title}" for d in drafts
    )
    emit(args, data, text or "no drafts")
    return 0


def cmd_drafts_show(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.services.drafts import DraftError

    service = _drafts(paths, readonly=True, what="deskwork drafts show")
    try:
        draft = service.get(args.id)
    except DraftError as exc:
        raise CliError(str(exc)) from None
    say(draft.body if draft.body.endswith("\n") or not draft.body else draft.body + "\n", end="")
    return 0


def cmd_drafts_export(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.interop.frontmatter import FrontMatterError
    from deskwork.services.drafts import DraftError, ExportRefused

    # Writable: each export is recorded, so that exporting the draft again replaces its own
    # unchanged file and no other.
    service = _drafts(paths, readonly=False, what="deskwork drafts export")
    try:
        target = service.export(
            args.id,
            args.format,
            user_path(args.out) if args.out else None,
            replace=args.replace,
        )
    except ExportRefused as exc:
        raise CliError(f"{exc} (`--replace` replaces it)") from None
    except (DraftError, FrontMatterError) as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot write the export: {exc}") from None
    finally:
        service.desk.close()
    say(str(target.absolute()))
    return 0


def cmd_drafts_import(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.interop import InteropError

    service = _drafts(paths, readonly=False, what="deskwork drafts import")
    try:
        draft = service.import_file(user_path(args.file))
    except InteropError as exc:
        raise CliError(str(exc)) from None
    finally:
        service.desk.close()
    data = {
        "id": draft.id,
        "title": draft.title,
        "slug": draft.effective_slug,
        "words": draft.words,
    }
    emit(args, data, f"imported draft {draft.id}: {draft.title} ({plural(draft.words, 'word')})")
    return 0


def cmd_drafts_new(args: argparse.Namespace, paths: Paths) -> int:
    service = _drafts(paths, readonly=False, what="deskwork drafts new")
    try:
        draft = service.create(args.title)
    finally:
        service.desk.close()
    emit(args, {"id": draft.id, "title": draft.title}, f"created draft {draft.id}: {draft.title}")
    return 0


def register(add: Any, group: Any) -> None:
    drafts = group("drafts", "draft posts")
    listing = add(drafts, "list", cmd_drafts_list, "every draft, newest first")
    listing.add_argument("--trash", action="store_true", help="the drafts in the trash instead")
    add(
        drafts, "show", cmd_drafts_show, "print a draft's Markdown body", json_flag=False
    ).add_argument("id", type=int)
    export_draft = add(
        drafts, "export", cmd_drafts_export, "write <slug>.md for a static site", json_flag=False
    )
    export_draft.add_argument("id", type=int)
    export_draft.add_argument("--format", choices=["pelican", "hugo", "jekyll", "gatsby"])
    export_draft.add_argument(
        "--out", metavar="DIR", help="default: [drafts] export_dir, else ~/Documents/deskwork"
    )
    export_draft.add_argument(
        "--replace",
        action="store_true",
        help="replace <slug>.md even if it is not this draft's own unchanged earlier export",
    )
    add(drafts, "import", cmd_drafts_import, "read a Markdown post into a new draft").add_argument(
        "file", metavar="FILE.md"
    )
    add(drafts, "new", cmd_drafts_new, "start a draft").add_argument("title")

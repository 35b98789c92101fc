"""`deskwork queue …` and `deskwork plan`: the curriculum from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from deskwork.clikit import EXIT_ERROR, EXIT_USAGE, CliError, emit, on_store, open_desk, user_path
from deskwork.domain.text import clean
from deskwork.domain.wording import plural
from deskwork.paths import Paths


def cmd_queue_list(args: argparse.Namespace, paths: Paths) -> int:
    desk = open_desk(paths, readonly=True, what="deskwork queue list")
    items = sorted(desk.store.items.all(), key=lambda i: i.id)
    data = [i.model_dump(mode="json") for i in items]
    text = "\n".join(f"{i.id:>4}  {i.status.value:<8} {i.kind.value:<11} {i.title}" for i in items)
    emit(args, data, text or "no items")
    return 0


def cmd_queue_import(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.interop import InteropError
    from deskwork.services.curriculum import import_file_noting, import_starter

    if bool(args.file) == bool(args.starter):
        raise CliError("give a FILE (.csv or .md) or --starter (one of them)", EXIT_USAGE)
    desk = open_desk(paths, readonly=False, what="deskwork queue import")
    try:
        added, notes = (
            (import_starter(desk), [])
            if args.starter
            else import_file_noting(desk, user_path(args.file))
        )
    except InteropError as exc:
        raise CliError(str(exc)) from None
    finally:
        desk.close()
    data = {
        "added": len(added),
        "items": [{"id": i.id, "title": i.title} for i in added],
        "not_imported": notes,
    }
    said = f"added {plural(len(added), 'item')} (titles already there are skipped)"
    emit(args, data, "\n".join([said, *notes]))
    return 0


def cmd_plan(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.domain.plan import PLAN_BOUNDS, PlanValueError
    from deskwork.services.curriculum import plan_report, report_json

    what_if = {
        "weeks": args.weeks, "hours_per_day": args.hours_per_day,
        "days_per_week": args.days_per_week,
    }  # fmt: skip
    problems = [
        PLAN_BOUNDS[name].problem(value, named="--" + name.replace("_", "-"))
        for name, value in what_if.items()
        if value is not None
    ]
    if any(problems):  # before the store is opened: nothing to read for a plan refused
        raise CliError("; ".join(p for p in problems if p), EXIT_USAGE)
    desk = open_desk(paths, readonly=True, what="deskwork plan")
    try:
        report = plan_report(desk, **what_if)
    except PlanValueError as exc:  # the config's figures, checked already: said all the same
        raise CliError(str(exc)) from None
    finally:
        desk.close()
    data = report_json(report)
    p = report.program
    lines = [
        f"program: {p.start} to {p.end} ({plural(p.weeks, 'week')}, {plural(p.days_per_week, 'day')} a week, "
        f"{p.hours_per_day:g} h a day)",
        f"planned {report.planned_points:.2f} points against a capacity of "
        f"{p.capacity_points:.2f}: {report.overcommit_ratio:.2f}x",
        "cost: " + (", ".join(f"{v:g} {k}" for k, v in report.total_cost.items()) or "free"),
    ]
    lines += [f"  {track}: {points:.2f} points" for track, points in sorted(report.tracks.items())]
    emit(args, data, "\n".join(lines))
    return 0


def _item_json(item: Any, error: str = "") -> dict[str, Any]:
    data: dict[str, Any] = item.model_dump(mode="json")
    data["metadata"] = "pending" if item.metadata_pending else "fetched"
    if error:
        data["error"] = error
    return data


def cmd_queue_add(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.services.links import LinkError, Links

    desk = open_desk(paths, readonly=False, what="deskwork queue add")
    links = Links(desk)
    try:
        item, created = on_store(lambda: links.save(args.target))
    except LinkError as exc:
        links.close()
        raise CliError(str(exc), EXIT_USAGE) from None
    finally:
        desk.close()  # the item is saved; the lock is not held while waiting on the network
    error = ""
    if created and not args.offline:
        [(item, error)], _ = _pull_unlocked(paths, links, [item], "deskwork queue add")
    links.close()
    state = "metadata pending" + (f" ({error})" if error else "") if item.metadata_pending else ""
    verb = "added" if created else "already there"
    emit(
        args,
        {**_item_json(item, error), "created": created},
        f"{verb}: {item.id}  {item.title}" + (f"\n  {state}" if state else ""),
    )
    return 0


def _pull_unlocked(
    paths: Paths, links: Any, items: list[Any], what: str
) -> tuple[list[tuple[Any, str]], int]:
    """Fetch the items' metadata holding nothing (the TUI or another command may write meanwhile),
    then take the writer lock only to apply what came back: ([(item as now stored, error or '')],
    how many were not tried). Without a connection the first failure ends the round: the rest
    would wait out the same timeout. If the data dir is in use by then, the items stay "metadata
    pending" for a later refresh. Inside the app the store steps run on its thread (`on_store`)."""
    from deskwork.sources.http import SourceError
    from deskwork.store.lock import StoreLocked

    fetched: list[tuple[Any, dict[str, Any] | SourceError]] = []
    untried = 0
    for n, item in enumerate(items):
        try:
            fetched.append((item, links.fetch(item)))  # reads nothing from the store
        except SourceError as exc:
            fetched.append((item, exc))
            if exc.offline:
                untried = len(items) - n - 1
                break
    try:
        desk = open_desk(paths, readonly=False, what=what)
    except StoreLocked as exc:
        note = f"fetched, but not saved: {exc}; run `deskwork queue refresh` later"
        return [(item, note) for item, _ in fetched], untried
    from deskwork.services.links import Links

    writer = Links(desk)

    def apply_all() -> list[tuple[Any, str]]:
        results = []
        for item, got in fetched:
            if isinstance(got, SourceError):
                results.append((writer.failed(item.id, got) or item, str(got)))
            else:
                results.append((writer.apply(item.id, got) or item, ""))
        return results

    try:
        return on_store(apply_all), untried
    finally:
        writer.close()
        desk.close()


def cmd_queue_refresh(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.services.links import Links

    # A writer's open, released before the network: with the TUI open the command is handed to it
    # whole (deskwork.remote) instead of fetching here and finding the store taken afterwards.
    desk = open_desk(paths, readonly=False, what="deskwork queue refresh")
    links = Links(desk)
    pending = on_store(links.pending)
    desk.close()
    try:
        pulled, untried = _pull_unlocked(paths, links, pending, "deskwork queue refresh")
    finally:
        links.close()
    results = [_item_json(item, error) for item, error in pulled]
    fetched = sum(1 for r in results if r["metadata"] == "fetched")
    total = len(results) + untried
    failed = [r for r in results if r.get("error")]
    lines = [f"fetched {fetched} of {total} pending"]
    lines += [f"  failed: {_failure(r)}" for r in failed]
    if untried:
        waiting = ", ".join(_named(_item_json(i)) for i in pending[len(pulled) :])
        lines.append(
            f"  not tried without a connection: {untried} more ({waiting}); try again when online"
        )
    emit(
        args,
        {"fetched": fetched, "pending": total - fetched, "not_tried": untried, "items": results},
        "\n".join(lines),
    )
    # A refresh that left an item unfetched failed, for a script as for a person: not 0.
    return EXIT_ERROR if failed or untried else 0


def _named(item: dict[str, Any]) -> str:
    """An item as a refresh's report names it: its id and title (or link), on one line."""
    return (
        f"{item['id']} {clean(str(item.get('title') or item.get('url') or ''), single_line=True)}"
    )


def _failure(item: dict[str, Any]) -> str:
    """The item that failed and why (its link named once: a fetch's error starts with it)."""
    why = clean(item["error"], single_line=True)
    named = _named(item)
    if why.startswith(named.partition(" ")[2]):
        return f"{item['id']} {why}"
    return f"{named}: {why}"


def cmd_queue_export(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.interop import InteropError
    from deskwork.services.curriculum import export_file

    desk = open_desk(paths, readonly=True, what="deskwork queue export")
    try:
        count = export_file(desk, Path(args.file))
    except InteropError as exc:
        raise CliError(str(exc)) from None
    finally:
        desk.close()
    emit(args, {"file": args.file, "items": count}, f"wrote {plural(count, 'item')} to {args.file}")
    return 0


def cmd_queue_today(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.services import queue

    readonly = not (args.pick or args.carry)
    desk = open_desk(paths, readonly=readonly, what="deskwork queue today")
    try:
        for item_id in args.pick or []:
            queue.toggle_today(desk, item_id)
        if args.carry:
            queue.carry_to_tomorrow(desk)
        items = queue.today_queue(desk)
    except KeyError as exc:
        raise CliError(str(exc.args[0])) from None
    finally:
        desk.close()
    text = "\n".join(
        f"{n}. {i.title}  {i.progress_text()}".rstrip() for n, i in enumerate(items, 1)
    )
    emit(args, [_item_json(i) for i in items], text or "nothing queued for today")
    return 0


def register(sub: Any, add: Any, group: Any) -> None:
    queue = group("queue", "curriculum queue")
    add(queue, "list", cmd_queue_list, "every curriculum item")
    queue_import = add(
        queue,
        "import",
        cmd_queue_import,
        "add items from a CSV file, a Markdown table or the starter",
    )
    queue_import.add_argument("file", nargs="?", metavar="FILE.csv|FILE.md")
    queue_import.add_argument("--starter", action="store_true", help="the starter curriculum")
    queue_add = add(queue, "add", cmd_queue_add, "add a link or an arXiv id and fetch its metadata")
    queue_add.add_argument("target", metavar="URL_OR_ID")
    queue_add.add_argument("--offline", action="store_true", help="save it now, fetch later")
    # inside the running app, the network steps run off the app's thread (deskwork.remote)
    queue_add.set_defaults(remote="thread")
    add(queue, "refresh", cmd_queue_refresh, "fetch the metadata still pending").set_defaults(
        remote="thread"
    )
    add(
        queue,
        "export",
        cmd_queue_export,
        "write the curriculum to FILE.csv, FILE.md or FILE.bib (papers)",
    ).add_argument("file", metavar="FILE.csv|FILE.md|FILE.bib")
    today = add(queue, "today", cmd_queue_today, "today's queue (pick items, carry them over)")
    today.add_argument("--pick", type=int, action="append", metavar="ID", help="add/remove an item")
    today.add_argument("--carry", action="store_true", help="carry today's unfinished to tomorrow")
    plan = add(sub, "plan", cmd_plan, "planned points against the program's capacity")
    plan.add_argument("--weeks", type=float, help="what-if: program length")
    plan.add_argument("--hours-per-day", type=float, help="what-if: study hours a day")
    plan.add_argument("--days-per-week", type=float, help="what-if: study days a week")

"""The `deskwork` command: with no subcommand it opens the TUI; subcommands report and manage.

Read-only subcommands (today, lists, doctor, config) open a consistent snapshot without the lock, so
they work while the TUI runs. Writing subcommands take the lock and refuse clearly if it is held.
Errors: one line on stderr and a non-zero exit; `--debug` shows the traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deskwork import __version__, cli_cards, cli_queue, cli_serve
from deskwork.clikit import (
    EXIT_ERROR,
    EXIT_LOCKED,
    EXIT_USAGE,
    CliError,
    Handler,
    emit,
    err,
    open_desk,
    run,
    say,
    user_path,
    warn,
)
from deskwork.config import config_as_toml, load_config
from deskwork.domain.wording import duration, plural
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.store import backups
from deskwork.store.lock import StoreLocked

if TYPE_CHECKING:
    from deskwork.ui.app import DeskworkApp


# ---------------------------------------------------------------------- the TUI
def build_tui(paths: Paths, *, served: bool = False) -> DeskworkApp:
    """The TUI on `paths` (the benchmarks start it exactly this way). `served`: in a browser tab,
    where stderr goes to the server's console, so start-up problems are shown in the page only."""
    from deskwork.remote_channel import Channel
    from deskwork.ui.app import DeskworkApp  # Textual is imported only when the TUI runs

    what = "deskwork in a browser tab" if served else "the deskwork TUI"
    desk = Desk.open(paths, what=what, defer_backup=True)
    if not served:
        warn(desk.problems)
    app = DeskworkApp(desk, channel=None if desk.store.readonly else Channel(desk))
    desk.problems.clear()  # already shown on stderr or kept by the app for its notifications
    return app


def run_tui(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.ui.serving import is_served

    served = is_served()
    try:
        app = build_tui(paths, served=served)
    except StoreLocked as exc:
        if not served:
            raise
        from deskwork.ui.served import RefusalApp  # the refusal, in the page

        RefusalApp(exc).run()
        return EXIT_LOCKED
    desk = app.desk
    if len(desk.store.media):  # cards with images: ask the terminal what graphics it speaks
        with contextlib.suppress(ImportError):
            import textual_image.widget  # noqa: F401  (only possible before the app starts)
    try:
        code = app.run()
    finally:
        desk.close()
        warn(desk.store.report.warnings)  # a compaction or backup at quit that failed
    if app.day_end_text and not served:  # after the day's end: the summary stays in the shell
        say(app.day_end_text)
    return code or 0


# ---------------------------------------------------------------------- reports
def cmd_today(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.services.timer import sessions_with_pending

    desk = open_desk(paths, readonly=True, what="deskwork today")
    _, pending = sessions_with_pending(desk)  # a focus that ended while deskwork was closed counts
    summary = desk.summary(pending=pending)
    goal = f"{summary.goal:g} {summary.goal_unit}" + (" (met)" if summary.goal_met else "")
    lines = [
        f"{summary.day:%A %d %B %Y}",
        f"  pomodoros: {summary.pomodoros}, focus minutes: {summary.focus_minutes:.0f}",
        f"  goal: {goal}, streak: {plural(summary.streak_days, 'day')}",
        f"  cards due: {summary.cards_due} of {summary.cards_total}"
        f"{_due_parts(summary.cards_due_parts)}",
        f"  queue: {', '.join(i.title for i in summary.queue) or 'empty'}",
    ]
    emit(args, summary.as_json(), "\n".join(lines))
    return 0


def _due_parts(parts: dict[str, int]) -> str:
    """' (1 new, 2 learning)': today's review queue, as the review pane counts it."""
    shown = ", ".join(f"{n} {kind}" for kind, n in parts.items() if n)
    return f" ({shown})" if shown else ""


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
    from deskwork.services.drafts import DraftError

    service = _drafts(paths, readonly=True, what="deskwork drafts export")
    try:
        target = service.export(args.id, args.format, Path(args.out) if args.out else None)
    except (DraftError, FrontMatterError) as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot write the export: {exc}") from None
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


def cmd_stats(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.domain.insight import as_json
    from deskwork.services.insight import gather

    if args.weeks < 1 or args.weeks > 520:
        raise CliError("--weeks: between 1 and 520", EXIT_USAGE)
    desk = open_desk(paths, readonly=True, what="deskwork stats")
    figures = gather(desk, args.weeks)
    desk.close()
    data = as_json(figures)
    hours = sum(figures.focus_hours_by_day.values())
    retention = "n/a" if figures.retention_30d is None else f"{figures.retention_30d:.1%}"
    lines = [
        f"last {plural(args.weeks, 'week')}: {duration(hours)} of focus (target {duration(figures.target_hours)} a day)",
        f"points: {figures.points_done:.2f} done of {figures.points_planned:.2f} planned; the program ends {figures.program_end}",
        *(
            f"  {p.item.title}: {p.finish or p.no_pace or 'no pace yet'}"
            + (" (after the end)" if p.late else "")
            for p in figures.projections
        ),
        f"reviews: {sum(figures.reviews_by_day)}; true retention (30 days): {retention}",
        "drafts: " + (", ".join(f"{n} {k}" for k, n in figures.drafts_by_status.items()) or "none"),
    ]
    emit(args, data, "\n".join(lines))
    return 0


# ---------------------------------------------------------------------- timer
TIMER_OPS = ("status", "start", "pause", "resume", "toggle", "skip", "reset", "extend", "abandon")


def _reset_loses(timer: Any) -> str:
    """What `timer reset` would throw away: "" when nothing of value (a break, or a focus that has
    not started), as the app's `r` asks only about a focus under way."""
    from deskwork.domain.sessions import SessionKind
    from deskwork.domain.timer import Status

    state = timer.tick().state
    if state.status is Status.IDLE or state.phase is not SessionKind.FOCUS:
        return ""
    elapsed = state.planned_s - state.remaining(timer.now())
    return (
        f"this {state.phase.label.lower()} is {state.status.label} "
        f"({plural(round(elapsed / 60), 'minute')} so far): a reset records it as abandoned and "
        "the cycle starts again at focus 1"
    )


def cmd_timer(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.domain.timer import TimerError, phase_line
    from deskwork.services.timer import TimerService

    readonly = args.op == "status"
    desk = open_desk(paths, readonly=readonly, what=f"deskwork timer {args.op}")
    try:
        timer = TimerService(desk)
        try:
            if args.op == "extend":
                timer.extend(args.minutes)
            elif args.op == "abandon":
                timer.abandon(args.reason or "")
            elif args.op == "reset" and not args.yes and (lost := _reset_loses(timer)):
                raise CliError(f"{lost}; confirm with --yes (nothing changed)", EXIT_USAGE)
            else:
                getattr(timer, "tick" if readonly else args.op)()
        except TimerError as exc:
            raise CliError(str(exc)) from None
        status = timer.status()
        phase = phase_line(timer.state, timer.settings.long_break_every)
    finally:
        desk.close()
    remaining = int(status["remaining_s"])
    text = f"{phase}, {remaining // 60:02d}:{remaining % 60:02d} left, on {status['item'] or 'no item'}"
    emit(args, status, text)
    return 0


def cmd_sessions_export(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.domain.studyday import day_bounds
    from deskwork.interop.sessions import sessions_csv, sessions_ics
    from deskwork.services.timer import sessions_with_pending
    from deskwork.store.fsutil import atomic_write

    target = Path(args.file)
    suffix = target.suffix.lower()
    if suffix not in {".csv", ".ics"}:
        raise CliError(f"{target}: the file name must end in .csv or .ics", EXIT_USAGE)
    desk = open_desk(paths, readonly=True, what="deskwork sessions export")
    hour = desk.config.study.day_start_hour
    start = day_bounds(args.from_date, hour)[0] if args.from_date else None
    end = day_bounds(args.to_date, hour)[1] if args.to_date else None
    stored, pending = sessions_with_pending(desk)
    sessions = sorted(
        (
            s
            for s in stored + pending
            if (start is None or s.start >= start) and (end is None or s.start < end)
        ),
        key=lambda s: s.start,
    )
    titles = {i.id: i.title for i in desk.store.items.values()}
    if suffix == ".csv":
        text = sessions_csv(sessions, titles)
    else:
        text = sessions_ics(sessions, titles, desk.clock())
    try:
        atomic_write(target.absolute(), text.encode())
    except OSError as exc:
        raise CliError(f"{target}: cannot write ({exc.strerror})") from None
    count = len(sessions) if suffix == ".csv" else sum(1 for s in sessions if s.kind == "focus")
    say(f"wrote {count} {'sessions' if suffix == '.csv' else 'focus sessions'} to {target}")
    return 0


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-22") from None


# ---------------------------------------------------------------------- config
def cmd_config_path(args: argparse.Namespace, paths: Paths) -> int:
    say(str(paths.config_file))
    return 0


def cmd_config_show(args: argparse.Namespace, paths: Paths) -> int:
    config, problems = load_config(paths.config_file)
    warn(problems)
    emit(args, config.model_dump(mode="json"), config_as_toml(config))
    return 0


# ---------------------------------------------------------------------- store care
def cmd_doctor(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.store.doctor import check

    if args.repair:
        from deskwork.store.doctor import repair

        desk = open_desk(paths, readonly=False, what="deskwork doctor --repair")
        done = repair(desk.store)
        desk.close()
        repaired = [*desk.store.report.recovered, *done]
        print("repairs: " + ("; ".join(repaired) if repaired else "none needed"), file=err())
    report = check(paths.data_dir)
    lines = [f"data dir: {paths.data_dir}"]
    lines += [f"  ok: {line}" for line in report.ok]
    lines += [f"  {name}: {plural(n, 'record')}" for name, n in sorted(report.counts.items())]
    lines += [f"  PROBLEM: {line}" for line in report.problems]
    emit(args, report.as_json(), "\n".join(lines))
    return 0 if not report.problems else EXIT_ERROR


def cmd_restore(args: argparse.Namespace, paths: Paths) -> int:
    found = backups.list_backups(paths.data_dir)
    if args.backup is None:
        data = [{"name": b.name, "path": str(b)} for b in found]
        emit(args, data, "\n".join(b.name for b in found) or "no backups")
        return 0
    backup = Path(args.backup)
    if not backup.is_absolute() and not backup.exists():
        backup = paths.data_dir / backups.BACKUPS / args.backup
    if backup.resolve() not in {b.resolve() for b in found}:
        raise CliError(f"{args.backup}: not a backup of {paths.data_dir} (see `deskwork restore`)")
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("restoring replaces the current data: confirm with --yes", EXIT_USAGE)
        answer = input(f"Replace the data in {paths.data_dir} with backup {backup.name}? [y/N] ")
        if answer.strip().lower() not in {"y", "yes"}:
            say("nothing changed")
            return EXIT_ERROR
    result = _restore(paths, backup)
    warn(result.warnings)
    for line in result.lines():  # what the live store had that the backup does not
        say(f"deskwork: lost by the restore: {line}", file=err())
    before = f"backed up as {result.safety.name}" if result.safety else "NOT backed up (see above)"
    say(f"restored {backup.name}; the state before it was {before}")
    return 0


def _restore(paths: Paths, backup: Path) -> Any:
    """Verify the backup and restore it; nothing is rotated or backed up over it first."""
    from deskwork.store.restore import restore_into
    from deskwork.store.store import Store

    config, problems = load_config(paths.config_file)
    warn(problems)
    store = Store.open(
        paths.data_dir,
        what="deskwork restore",
        keep_backups=config.store.keep_backups,
        for_restore=True,
    )
    try:
        return restore_into(store, backup, config.store.keep_backups)
    finally:
        store.close()
        warn(store.report.problems)


# ---------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="deskwork",
        description="A keyboard-first study desk: pomodoro timer, curriculum queue, flashcards, "
        "draft post. With no command, opens the TUI.",
    )
    parser.add_argument("--version", action="version", version=f"deskwork {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep data, config and themes under DIR (default: $DESKWORK_HOME or the platform's)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    parser.set_defaults(handler=run_tui)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def add(
        group: Any, name: str, handler: Handler, help_text: str, json_flag: bool = True
    ) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = group.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler, remote="app")  # while the TUI runs: see deskwork.remote
        if json_flag:
            p.add_argument("--json", action="store_true", help="machine-readable output")
        return p

    add(sub, "today", cmd_today, "today's study day at a glance")

    def group(name: str, help_text: str) -> Any:
        return sub.add_parser(name, help=help_text).add_subparsers(metavar="ACTION", required=True)

    cli_cards.register(add, group)
    stats = add(sub, "stats", cmd_stats, "am I on track? focus, points, projections, cards, drafts")
    stats.add_argument("--weeks", type=int, default=12, help="the window (default 12)")
    cli_queue.register(sub, add, group)
    cli_serve.register(add, sub)
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
    add(drafts, "import", cmd_drafts_import, "read a Markdown post into a new draft").add_argument(
        "file", metavar="FILE.md"
    )
    add(drafts, "new", cmd_drafts_new, "start a draft").add_argument("title")
    timer = add(sub, "timer", cmd_timer, "the pomodoro timer: status, or start/pause/… it")
    timer.add_argument("op", nargs="?", default="status", choices=TIMER_OPS)
    timer.add_argument("--minutes", type=float, help="for extend (default: extend_minutes)")
    timer.add_argument("--reason", help="for abandon")
    timer.add_argument(
        "--yes", action="store_true", help="for reset: abandon a running or paused phase"
    )

    export = add(
        group("sessions", "pomodoro sessions"),
        "export",
        cmd_sessions_export,
        "write sessions to FILE.csv (all) or FILE.ics (one event per focus session)",
        json_flag=False,
    )
    export.add_argument("file", metavar="FILE.csv|FILE.ics")
    export.add_argument("--from", dest="from_date", type=_date, help="first study day (YYYY-MM-DD)")
    export.add_argument("--to", dest="to_date", type=_date, help="last study day (YYYY-MM-DD)")

    config = group("config", "the config file")
    add(config, "path", cmd_config_path, "print the config file's path", json_flag=False)
    add(config, "show", cmd_config_show, "print the effective config")

    doctor = add(sub, "doctor", cmd_doctor, "check the store and report")
    doctor.add_argument("--repair", action="store_true", help="open the store and repair it first")

    restore = add(sub, "restore", cmd_restore, "list backups, or restore one")
    restore.add_argument("backup", nargs="?", help="backup name (from the list) or path")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.set_defaults(remote=None)  # it replaces everything the app has open: quit it first
    return parser


def tui_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """`deskwork [--data-dir DIR] [--debug]` (open the TUI) parsed without building the whole
    parser (~10 ms of every start: dozens of subcommands); None for any other command line, which
    the parser reads. Gives what `build_parser().parse_args(argv)` gives for these."""
    data_dir: str | None = None
    debug = False
    rest = list(argv)
    while rest:
        word = rest.pop(0)
        if word == "--debug":
            debug = True
        elif word == "--data-dir" and rest and not rest[0].startswith("-"):
            data_dir = rest.pop(0)
        elif word.startswith("--data-dir=") and len(word) > len("--data-dir="):
            data_dir = word.split("=", 1)[1]
        else:
            return None
    return argparse.Namespace(data_dir=data_dir, debug=debug, handler=run_tui)


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    args = tui_args(words) or build_parser().parse_args(words)
    args.argv = words
    return run(args)

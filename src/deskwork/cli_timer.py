"""`deskwork timer …` (status, start, pause, … the pomodoro from the shell) and
`deskwork sessions export` (the focus sessions as CSV or ICS)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from deskwork.clikit import EXIT_USAGE, CliError, emit, open_desk, say
from deskwork.domain.wording import plural
from deskwork.paths import Paths

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
    if args.from_date and args.to_date and args.from_date > args.to_date:
        raise CliError(
            f"--from {args.from_date} is after --to {args.to_date}: no day is in that range",
            EXIT_USAGE,
        )
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


def register(add: Any, sub: Any, group: Any) -> None:
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

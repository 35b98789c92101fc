"""`deskwork cards simulate`: a preset's coming year simulated at each desired retention from
0.70 to 0.97, as a table (minutes a day, cards remembered, minutes per card remembered), the one
that costs least per card remembered marked; `--apply R` sets the preset's retention."""

from __future__ import annotations

import argparse
from typing import Any

from deskwork.clikit import CliError, emit, err, on_store, open_desk
from deskwork.domain.wording import figure, plural
from deskwork.paths import Paths


def table_text(report: Any) -> str:
    best = report.best
    lines = [
        f"Preset {report.preset!r} (desired retention now {report.current:.2f}): "
        f"{plural(report.studied, 'studied card')}, {figure(report.new_cards)} new, "
        f"{plural(report.days, 'day')} simulated "
        f"({plural(report.runs, 'run')} from seed {report.seed} averaged)",
        "",
        "retention  minutes/day  remembered  min/card  reviews",
    ]
    for i, row in enumerate(report.rows):
        mark = "  ← least per card remembered" if i == best else ""
        now = "  (now)" if abs(row.retention - report.current) < 0.005 else ""
        lines.append(
            f"{row.retention:9.2f}  {row.minutes_per_day:11.1f}  {row.memorized:10.0f}  "
            f"{row.per_card_text(3):>8}  {row.reviews:7d}{mark}{now}"
        )
    lines += [f"note: {note}" for note in report.notes()]
    if best is not None:
        lines.append(
            f"Apply: deskwork cards simulate --preset {report.preset!r} "
            f"--apply {report.rows[best].retention:.2f}"
        )
    return "\n".join(lines)


def cmd_simulate(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.domain.presets import PresetError
    from deskwork.services import retention

    if args.apply is not None:
        desk = open_desk(paths, readonly=False, what="deskwork cards simulate --apply")
        try:
            preset = on_store(lambda: retention.apply(desk, args.preset, args.apply))
        except PresetError as exc:
            raise CliError(str(exc)) from None
        finally:
            desk.close()
        message = f"preset {preset.name!r}: desired retention {preset.desired_retention:g}"
        emit(args, {"message": message, "desired_retention": preset.desired_retention}, message)
        return 0

    desk = open_desk(paths, readonly=True, what="deskwork cards simulate")
    shown = [False]

    def progress(done: int, total: int) -> None:
        if err().isatty():
            shown[0] = True
            print(f"\rsimulating: {done}/{total} retentions", end="", file=err(), flush=True)

    try:
        job = on_store(
            lambda: retention.simulation_job(desk, args.preset, days=args.days, seed=args.seed)
        )
        report = job(progress, None)
    except PresetError as exc:
        raise CliError(str(exc)) from None
    finally:
        if shown[0]:
            print(file=err())
        desk.close()
    emit(args, report.as_json(), table_text(report))
    return 0


def _retention(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.5 < value < 1:
        raise argparse.ArgumentTypeError(f"{text}: a retention is more than 0.5, less than 1")
    return value


def register(add: Any, cards: Any) -> None:
    sim = add(
        cards,
        "simulate",
        cmd_simulate,
        "a preset's coming year at each desired retention (0.70–0.97): minutes a day, cards "
        "remembered; the cheapest per card remembered marked",
    )
    sim.add_argument("--preset", default="Default", metavar="NAME", help="default: Default")
    sim.add_argument("--days", type=int, default=365, metavar="N", help="default: 365")
    sim.add_argument("--seed", type=int, default=42, metavar="N", help=argparse.SUPPRESS)
    sim.add_argument(
        "--apply", type=_retention, metavar="R", help="set the preset's desired retention to R"
    )
    sim.set_defaults(remote="thread")  # inside the running app, only store reads on its thread

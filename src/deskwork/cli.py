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
from typing import TYPE_CHECKING, Any

from deskwork import __version__, startup_gc
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
    warn,
)
from deskwork.config import load_config
from deskwork.domain.wording import duration, figure, plural, reviews_said
from deskwork.paths import Paths
from deskwork.services import DaySummary, Desk
from deskwork.store.lock import StoreLocked

if TYPE_CHECKING:
    from deskwork.ui.app import DeskworkApp


# ---------------------------------------------------------------------- the TUI
def build_tui(paths: Paths, *, served: bool = False) -> DeskworkApp:
    """The TUI on `paths` (the benchmarks start it exactly this way). `served`: in a browser tab,
    where stderr goes to the server's console, so start-up problems are shown in the page only."""
    startup_gc.pause()  # until the first frame (or the app's unmount): see startup_gc
    try:
        from deskwork.remote_channel import Channel
        from deskwork.ui.app import DeskworkApp  # Textual is imported only when the TUI runs

        what = "deskwork in a browser tab" if served else "the deskwork TUI"
        desk = Desk.open(paths, what=what, defer_backup=True, backup_on_quit=True)
        if not served:
            warn(desk.problems)
        app = DeskworkApp(desk, channel=None if desk.store.readonly else Channel(desk))
    except BaseException:
        startup_gc.resume()
        raise
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
    if desk.store.flush_failed:  # the last changes may not be on disk (told above): an error
        return code or EXIT_ERROR
    return code or 0


# ---------------------------------------------------------------------- reports
def cmd_today(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.services.timer import sessions_with_pending

    desk = open_desk(paths, readonly=True, what="deskwork today")
    _, pending = sessions_with_pending(desk)  # a focus that ended while deskwork was closed counts
    summary = desk.summary(pending=pending)
    emit(args, summary.as_json(), "\n".join(today_lines(summary)))
    return 0


def today_lines(summary: DaySummary) -> list[str]:
    """`deskwork today`'s text: the figures of the day (a card figure not counted: "—")."""
    goal = f"{summary.goal:g} {summary.goal_unit}" + (" (met)" if summary.goal_met else "")
    return [
        f"{summary.day:%A %d %B %Y}",
        f"  pomodoros: {summary.pomodoros}, focus minutes: {summary.focus_minutes:.0f}",
        f"  goal: {goal}, streak: {plural(summary.streak_days, 'day')}",
        f"  cards due: {figure(summary.cards_due)} of {figure(summary.cards_total)}"
        f"{_due_parts(summary.cards_due_parts or {})}",
        f"  queue: {', '.join(i.title for i in summary.queue) or 'empty'}",
    ]


def _due_parts(parts: dict[str, int]) -> str:
    """' (1 new, 2 learning)': today's review queue, as the review pane counts it."""
    shown = ", ".join(f"{figure(n)} {kind}" for kind, n in parts.items() if n)
    return f" ({shown})" if shown else ""


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
    retention = (
        "n/a (no answer on a card in review)"
        if figures.retention_30d is None
        else f"{figures.retention_30d:.1%} of the answers on cards in review"
    )
    lines = [
        f"last {plural(args.weeks, 'week')}: {duration(hours)} of focus (target {duration(figures.target_hours)} a day)",
        f"points: {figures.points_done:.2f} done of {figures.points_planned:.2f} planned; the program ends {figures.program_end}",
        *(
            f"  {p.item.title}: {p.finish or p.no_pace or 'no pace yet'}"
            + (" (after the end)" if p.late else "")
            for p in figures.projections
        ),
        f"reviews, last {plural(args.weeks, 'week')}: {reviews_said(figures.reviews_by_day)}",
        f"true retention (30 days): {retention}",
        "drafts: " + (", ".join(f"{n} {k}" for k, n in figures.drafts_by_status.items()) or "none"),
    ]
    emit(args, data, "\n".join(lines))
    return 0


# ---------------------------------------------------------------------- config
def cmd_config_path(args: argparse.Namespace, paths: Paths) -> int:
    say(str(paths.config_file))
    return 0


def cmd_config_show(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.config_toml import config_as_toml
    from deskwork.ui.config_check import ui_problems

    config, problems = load_config(paths.config_file)
    warn(problems + ui_problems(config, paths))
    chosen = _theme_chosen_in_the_app(paths)
    if chosen is not None and chosen != config.ui.theme:
        over = (
            f"the file's {config.ui.theme!r}"
            if "theme" in config.ui.model_fields_set
            else f"the default {config.ui.theme!r} (the file sets none)"
        )
        say(
            f"deskwork: [ui] theme is {chosen!r}, chosen in the app (F10), which it keeps over "
            f"{over}",
            file=err(),
        )
        config = config.model_copy(update={"ui": config.ui.model_copy(update={"theme": chosen})})
    emit(args, config.model_dump(mode="json"), config_as_toml(config))
    return 0


def _theme_chosen_in_the_app(paths: Paths) -> str | None:
    """The theme picked in the TUI (kept in the store, used over the config file's), if any."""
    from deskwork.services.desk import THEME
    from deskwork.store.manifest import MANIFEST_NAME

    if not (paths.data_dir / MANIFEST_NAME).is_file():
        return None  # no store yet: nothing was chosen, and none is made to say so
    try:
        desk = open_desk(paths, readonly=True, what="deskwork config show")
        try:
            chosen = desk.store.setting(THEME)
        finally:
            desk.close()
    except Exception as exc:  # the config is still shown: the store is doctor's business
        warn([f"the theme chosen in the app could not be read ({exc}); the file's is shown"])
        return None
    return chosen if isinstance(chosen, str) else None


# ---------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    # The subcommands' modules come with the parser: the TUI's start (tui_args) builds none.
    from deskwork import cli_cards, cli_care, cli_drafts, cli_queue, cli_serve, cli_timer

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
    cli_drafts.register(add, group)
    cli_timer.register(add, sub, group)
    config = group("config", "the config file")
    add(config, "path", cmd_config_path, "print the config file's path", json_flag=False)
    add(config, "show", cmd_config_show, "print the effective config")
    cli_care.register(add, sub)
    return parser


def global_options(argv: Sequence[str]) -> tuple[int, str | None, bool]:
    """The leading `--data-dir DIR` / `--data-dir=DIR` / `--debug` words, in any order: (how many
    words they take, the data dir, debug). What follows is the command, if any."""
    data_dir: str | None = None
    debug = False
    at = 0
    while at < len(argv):
        word = argv[at]
        if word == "--debug":
            debug, at = True, at + 1
        elif word == "--data-dir" and at + 1 < len(argv) and not argv[at + 1].startswith("-"):
            data_dir, at = argv[at + 1], at + 2
        elif word.startswith("--data-dir=") and len(word) > len("--data-dir="):
            data_dir, at = word.split("=", 1)[1], at + 1
        else:
            break
    return at, data_dir, debug


def tui_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """`deskwork [--data-dir DIR] [--debug]` (open the TUI) parsed without building the whole
    parser (~10 ms of every start: dozens of subcommands); None for any other command line, which
    the parser reads. Gives what `build_parser().parse_args(argv)` gives for these."""
    used, data_dir, debug = global_options(argv)
    if used < len(argv):
        return None
    return argparse.Namespace(data_dir=data_dir, debug=debug, handler=run_tui)


def split_query(words: list[str]) -> tuple[list[str], list[str] | None]:
    """`cards list QUERY`: a search term may start with `-` (a negation, `-tag:done`), which
    argparse would take for an option. The words after `cards list` are the query, in their order,
    except the command's own flags (left for the parser) and `--`. None: not this command."""
    at = global_options(words)[0]
    if words[at : at + 2] != ["cards", "list"]:
        return words, None
    flags = [w for w in words[at + 2 :] if w in ("--json", "-h", "--help")]
    query = [w for w in words[at + 2 :] if w not in flags and w != "--"]
    return words[: at + 2] + flags, query


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parsed, query = split_query(words)
    args = tui_args(words) or build_parser().parse_args(parsed)
    if query is not None:
        args.query = query
    if args.handler is not run_tui:
        # A command, not the TUI (which puts them back at its first frame): the collector's usual
        # thresholds from here on (see startup_gc), for however long the command runs.
        startup_gc.end()
    args.argv = words
    return run(args)

"""`deskwork doctor` (check, and with --repair mend, the store) and `deskwork restore` (list the
backups, or put one back after naming what the live store would lose)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from deskwork.clikit import EXIT_ERROR, EXIT_USAGE, CliError, emit, err, open_desk, say, warn
from deskwork.config import load_config
from deskwork.domain.wording import plural
from deskwork.paths import Paths
from deskwork.store import backups


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
        from deskwork.store.restore import preview

        lost = [str(d) for d in preview(paths.data_dir, backup) if d]
        for line in lost:  # before asking: what the live store has that the backup does not
            say(f"deskwork: would be lost by the restore: {line}", file=err())
        if not lost:
            say(
                "deskwork: the restore would lose nothing: the backup holds every record",
                file=err(),
            )
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


def register(add: Any, sub: Any) -> None:
    doctor = add(sub, "doctor", cmd_doctor, "check the store and report")
    doctor.add_argument("--repair", action="store_true", help="open the store and repair it first")
    restore = add(sub, "restore", cmd_restore, "list backups, or restore one")
    restore.add_argument("backup", nargs="?", help="backup name (from the list) or path")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.set_defaults(remote=None)  # it replaces everything the app has open: quit it first

"""Flashcard figures for the benchmark harness: building today's review queue, grading (a durable
answer and the next card shown), importing a 20,000-note .apkg (against the real Anki importing the
same file in the same run, when the `anki` test dependency is installed)."""

from __future__ import annotations

import asyncio
import gc
import shutil
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from figures import pct
from workload import END

from deskwork.domain.scheduling import Grade
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.anki import export_file, import_deck, read_file
from deskwork.services.due_today import deck_list
from deskwork.services.review_session import ReviewSession

# A heavy day: limits high enough that the measured answers never run the queue dry.
BENCH_CONFIG = "[cards]\nnew_per_day = 100000\nreviews_per_day = 100000\n"


def _desk(data_dir: Path) -> Desk:
    (data_dir / "config.toml").write_text(BENCH_CONFIG)
    desk = Desk.open(Paths(data_dir, data_dir), clock=lambda: END + timedelta(hours=2))
    desk.store.cards.load_all()
    return desk


def measure_queue_and_grades(data_dir: Path, grades: int = 300) -> dict[str, float]:
    desk = _desk(data_dir)
    try:
        session = ReviewSession(desk)
        queue_size = session.queue.size
        builds = []
        for _ in range(7):
            t = time.perf_counter()
            session.rebuild()
            builds.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        for _ in range(7):
            sum(1 for c in desk.store.cards.all() if c.due)
        scan_ms = (time.perf_counter() - t) / 7 * 1000
        lists = []
        for _ in range(7):  # the deck list: every deck's due counts with Anki's limits
            t = time.perf_counter()
            deck_list(desk)
            lists.append((time.perf_counter() - t) * 1000)
        times = []
        ratings = (Grade.GOOD, Grade.GOOD, Grade.EASY, Grade.AGAIN, Grade.HARD)
        for n in range(grades):
            if session.current() is None:
                break
            t = time.perf_counter()
            session.answer(ratings[n % len(ratings)], 4000)
            card = session.current()
            if card is not None:
                card.question()
                session.intervals(card)
            times.append((time.perf_counter() - t) * 1000)
        return {
            "queue_build_ms": round(statistics.median(builds), 1),
            "queue_size": queue_size,
            "cards_scan_ms": round(scan_ms, 1),
            "deck_list_ms": round(statistics.median(lists), 1),
            "grade_p50_ms": round(pct(times, 50), 2),
            "grade_p95_ms": round(pct(times, 95), 2),
            "grade_max_ms": round(max(times), 2),
            "grades_measured": len(times),
        }
    finally:
        desk.close()


def measure_grade_in_tui(data_dir: Path, grades: int = 100) -> dict[str, float]:
    """The same answer through the review pane of the real app (headless): the durable write,
    the next card's text, its button intervals and the widgets updated."""
    from deskwork.ui.app import DeskworkApp

    (data_dir / "config.toml").write_text(BENCH_CONFIG)
    desk = Desk.open(
        Paths(data_dir, data_dir), clock=lambda: END + timedelta(hours=2), defer_backup=True
    )
    app = DeskworkApp(desk, show_clock=False)
    times: list[float] = []

    async def run() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            pane = app.review_pane
            for _ in range(grades):
                if pane.current() is None:
                    break
                pane.revealed = True
                t = time.perf_counter()
                pane.action_grade(3)
                times.append((time.perf_counter() - t) * 1000)
                await pilot.pause()

    asyncio.run(run())
    if not times:
        return {}
    return {
        "grade_tui_p95_ms": round(pct(times, 95), 2),
        "grade_tui_p50_ms": round(pct(times, 50), 2),
    }


def _anki_import_s(package: Path, collection: Path) -> float | None:
    """Anki importing `package` into a new collection at `collection`."""
    try:
        from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
    except ImportError:
        return None
    col = Collection(str(collection))
    t = time.perf_counter()
    col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(package), options=ImportAnkiPackageOptions(with_scheduling=True)
        )
    )
    elapsed = time.perf_counter() - t
    col.close()
    return elapsed


def _import_s(package: Path, target: Path) -> tuple[float, int, float]:
    """(seconds to durable, notes, seconds of the compaction that follows): the import is done
    when its bulk journal line is fsync'd; the app compacts it on its background thread."""
    fresh = Desk.open(Paths(target, target))
    # The heap as the app and the CLI have it when an import starts: the TUI's idle collector has
    # frozen what lives (store/errors.no_gc's first collection then walks ~20k objects, ~9 ms at
    # the heavy year), a CLI process holds what its start made (~50k, ~10 ms). This process holds
    # what the benchmark's earlier measurements left, unfrozen, and that first collection walked
    # it all: 0.6 s more per import in the full run than with `--only import`.
    gc.collect()
    gc.freeze()
    try:
        t = time.perf_counter()
        report = import_deck(fresh, read_file(package, fresh))
        elapsed = time.perf_counter() - t
        t = time.perf_counter()
        fresh.store.compact()
        compact_s = time.perf_counter() - t
        fresh.close()  # unfreezes (the import froze what it made)
    finally:
        gc.unfreeze()
    return elapsed, report.notes, compact_s


def measure_import(data_dir: Path, pairs: int = 5) -> dict[str, object]:
    """The workload's 20,000 notes as an .apkg, imported into an empty store: as a shared deck
    (no review history; what `import_20k_s` is about) and with the year's 250,000 answers.
    Each figure is the median of `pairs` runs, each run paired with one of Anki's importing the
    same file just before or after it (the order alternates): the ratios are medians of the
    pairs' ratios, so a burst of other work on the machine moves one pair, not the figure."""
    work = Path(tempfile.mkdtemp(prefix="deskwork-import-"))
    desk = _desk(data_dir)
    try:
        shared, personal = work / "shared.apkg", work / "personal.apkg"
        t = time.perf_counter()
        export_file(desk, shared, with_history=False)
        export_s = time.perf_counter() - t
        export_file(desk, personal)
    finally:
        desk.close()
    ours: dict[str, list[float]] = {"shared": [], "personal": []}
    theirs: dict[str, list[float]] = {"shared": [], "personal": []}
    compact: list[float] = []
    notes = 0
    for run in range(pairs):
        for kind, package in (("shared", shared), ("personal", personal)):
            anki_first = run % 2 == 1
            anki = (
                _anki_import_s(package, work / f"anki-{kind}-{run}.anki2") if anki_first else None
            )
            seconds, notes, compact_s = _import_s(package, work / f"{kind}-{run}")
            if not anki_first:
                anki = _anki_import_s(package, work / f"anki-{kind}-{run}.anki2")
            ours[kind].append(seconds)
            if kind == "personal":
                compact.append(compact_s)
            if anki is not None:
                theirs[kind].append(anki)
            for made in work.glob(
                f"*{kind}-{run}*"
            ):  # the disk (and its cache) as for the first run
                shutil.rmtree(made) if made.is_dir() else made.unlink()
    shutil.rmtree(work, ignore_errors=True)
    med = statistics.median
    result: dict[str, object] = {
        "import_20k_s": round(med(ours["shared"]), 2),
        "import_notes": notes,
        "import_20k_with_history_s": round(med(ours["personal"]), 2),
        "import_20k_with_history_compact_s": round(med(compact), 2),  # off the UI thread in the app
        "export_20k_s": round(export_s, 2),
        "import_pairs": pairs,
    }
    names = {  # kind -> (Anki's seconds, our ratio to them)
        "shared": ("anki_import_20k_s", "import_vs_anki"),
        "personal": ("anki_import_20k_with_history_s", "import_with_history_vs_anki"),
    }
    for kind, (anki_key, ratio_key) in names.items():
        if len(theirs[kind]) == pairs:
            ratios = [o / max(a, 1e-6) for o, a in zip(ours[kind], theirs[kind], strict=True)]
            result[anki_key] = round(med(theirs[kind]), 2)
            result[ratio_key] = round(med(ratios), 2)
            result[f"{ratio_key}_pairs"] = [round(r, 2) for r in ratios]
    return result


def measure_render(data_dir: Path) -> dict[str, float]:
    """Rendering every card through its note type's templates (what the browser and
    `cards list` do), and `cards list --json` over every card."""
    from deskwork.services.notes import Renderer, listing

    desk = _desk(data_dir)
    try:
        cards = desk.store.cards.all()
        render = Renderer(desk)
        t = time.perf_counter()
        for card in cards:
            shown = render(card)
            _ = shown.question, shown.answer_side()
        render_s = time.perf_counter() - t
        t = time.perf_counter()
        rows = listing(desk)
        list_s = time.perf_counter() - t
    finally:
        desk.close()
    return {
        "render_all_cards_s": round(render_s, 2),
        "render_per_card_us": round(render_s / max(len(cards), 1) * 1e6, 1),
        "cards_list_all_s": round(list_s, 2),
        "cards_listed": len(rows),
    }

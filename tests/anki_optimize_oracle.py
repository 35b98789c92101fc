"""Anki's own FSRS optimiser as an oracle (the `anki` package, AGPL, test-only): a collection with
one card per history card in deck "ML" and the history as its revlog; Anki's `compute_fsrs_params`,
`evaluate_params_legacy` and per-card `compute_memory_state` on it; the collection exported so
deskwork imports the same history through its real importer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from anki.collection import Collection, ExportAnkiPackageOptions

from tests.optimize_history import Row

DECK = "ML"


def anki_now() -> datetime:
    """Anki's clock in its test mode: two hours back between 02:00 and 04:00 local (rslib's
    `elapsed()`), so both sides see the same moment."""
    now = datetime.now(UTC)
    return now - timedelta(hours=2) if 2 <= now.astimezone().hour < 4 else now


@dataclass
class AnkiResult:
    params: list[float]
    items: int
    log_loss_default: float
    rmse_default: float
    log_loss: float
    rmse: float


class AnkiOracle:
    """One collection built from `rows` (card indexes 0..cards-1)."""

    def __init__(self, folder: Path, rows: list[Row], cards: int, relearning_steps: int = 1):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.col = Collection(str(folder / "optimize.anki2"))
        self.col.set_config("fsrs", True)
        did = self.col.decks.id(DECK)
        assert did is not None
        self.did = did
        conf = self.col.decks.config_dict_for_deck_id(did)
        conf["lapse"]["delays"] = [10.0 * (n + 1) for n in range(relearning_steps)]
        self.col.decks.update_config(conf)
        self.relearning_steps = relearning_steps
        basic = self.col.models.by_name("Basic")
        assert basic is not None
        self.cids: list[int] = []
        for n in range(cards):
            note = self.col.new_note(basic)
            note["Front"], note["Back"] = f"question {n}", f"answer {n}"
            self.col.add_note(note, did)
            self.cids.append(note.cards()[0].id)
        self.col.db.executemany(
            "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
            "values (?, ?, -1, ?, ?, ?, ?, ?, ?)",
            [(r[0], self.cids[r[1]], *r[2:]) for r in rows],
        )
        last: dict[int, Row] = {}
        for r in rows:
            if r[2] > 0:
                last[r[1]] = r
        today = self.col.sched.today
        for card, row in last.items():
            days_ago = (self.col.sched.day_cutoff * 1000 - row[0]) // 86_400_000
            ivl = max(row[3], 1)
            self.col.db.execute(
                "update cards set type = 2, queue = 2, ivl = ?, due = ?, factor = 2500 "
                "where id = ?",
                ivl,
                today - days_ago + ivl,
                self.cids[card],
            )

    def optimise(self, current: list[float] | None = None) -> AnkiResult:
        backend = self.col._backend
        search = f'"deck:{DECK}"'
        response = backend.compute_fsrs_params(
            search=search,
            current_params=current or [],
            ignore_revlogs_before_ms=0,
            num_of_relearning_steps=self.relearning_steps,
            health_check=False,
        )
        params = list(response.params)
        default = backend.evaluate_params_legacy(
            params=current or [], search=search, ignore_revlogs_before_ms=0
        )
        after = backend.evaluate_params_legacy(
            params=params, search=search, ignore_revlogs_before_ms=0
        )
        return AnkiResult(
            params, response.fsrs_items, default.log_loss, default.rmse_bins,
            after.log_loss, after.rmse_bins,
        )  # fmt: skip

    def memory_states(self, params: list[float]) -> dict[int, tuple[float, float]]:
        """Every card's (stability, difficulty) under `params`, by card index, as Anki computes
        it from the card's history."""
        conf = self.col.decks.config_dict_for_deck_id(self.did)
        conf["fsrsParams6"] = params
        self.col.decks.update_config(conf)
        out = {}
        for n, cid in enumerate(self.cids):
            state = self.col._backend.compute_memory_state(cid)
            if state.HasField("state"):
                out[n] = (state.state.stability, state.state.difficulty)
        return out

    def export(self) -> Path:
        out = self.folder / "optimize.apkg"
        self.col.export_anki_package(
            out_path=str(out),
            options=ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False
            ),
            limit=None,
        )
        return out

    def close(self) -> None:
        self.col.close()

"""Pilot tests: a card's retrievability now on the review area's info line and in the card browser's
R column; the review order from the config (ascending retrievability: the most forgotten first);
the preset form sets a preset's review order; the stats forecast says how even it is."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from rich.console import Console
from textual.widgets import DataTable, Select, Static

from deskwork.config import Config, EasyDaysConfig
from deskwork.domain.cards import CardState
from deskwork.domain.presets import DeckOptions, Preset
from deskwork.domain.revieworder import retrievability
from deskwork.ui.screens.preset_dialogs import PresetFormScreen
from deskwork.ui.screens.presets import PresetsScreen
from deskwork.ui.screens.stats_figures import forecast_label
from tests.helpers import T0, Clock, make_card
from tests.ui.factory import desk_app, ready


def review(front: str, stability: float, days_ago: float, **kw: object) -> object:
    fields: dict[str, object] = {
        "state": CardState.REVIEW,
        "step": None,
        "stability": stability,
        "difficulty": 5.0,
        "last_review": T0 - timedelta(days=days_ago),
        "due": T0 - timedelta(minutes=5),
        "reps": 4,
    }
    return make_card(front, **(fields | kw))


def shown(widget: Static) -> str:
    """What a Static shows, as plain text (Rich renderables rendered)."""
    console = Console(width=110, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


async def test_retrievability_on_the_info_line_in_ascending_order(
    tmp_path: Path, clock: Clock
) -> None:
    app = desk_app(
        tmp_path, clock, "[cards]\nfuzz = false\nreview_order = 'Ascending retrievability'\n"
    )
    with app.desk.store.transaction() as tx:
        steady = tx.put("cards", review("steady", 10.0, 10))  # R = 90 % by definition of S
        shaky = tx.put("cards", review("shaky", 2.0, 10))
    low = retrievability(shaky, T0)  # type: ignore[arg-type]
    assert low is not None and low < 0.8
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f4")
        status = app.review_pane.query_one("#review-status", Static)
        card = app.review_pane.current()
        assert card is not None and card.id == shaky.id, "the most forgotten first"  # type: ignore[attr-defined]
        assert f"R {low:.0%}" in str(status.render())
        await pilot.press("space", "3")
        await pilot.pause()
        card = app.review_pane.current()
        assert card is not None and card.id == steady.id  # type: ignore[attr-defined]
        # right after the counts: a narrow pane cuts the deck name, never R
        assert "to review · R 90%" in str(status.render())


async def test_the_browser_shows_each_cards_retrievability(tmp_path: Path, clock: Clock) -> None:
    app = desk_app(tmp_path, clock)
    with app.desk.store.transaction() as tx:
        steady = tx.put("cards", review("steady", 10.0, 10))
        own = tx.put("presets", Preset(name="Fast decay", fsrs_parameters=[0.4] * 20 + [0.6]))
        tx.put("deck_options", DeckOptions(deck="Decay", preset_id=own.id))
        decaying = tx.put("cards", review("decaying", 10.0, 20, deck="Decay"))
        new = tx.put("cards", make_card("new one"))
    async with app.run_test(size=(150, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        r_column = [str(c.label) for c in table.columns.values()].index("R")

        def r_of(card: object) -> str:
            return str(table.get_row(str(card.id))[r_column])  # type: ignore[attr-defined]

        assert r_of(steady) == "90%"
        assert r_of(new) == "—", "a new card has no memory state"
        # The card's own preset's decay (w20 = 0.6): at 2 x S, R is 0.9's curve with that decay.
        factor = 0.9 ** (-1 / 0.6) - 1
        assert r_of(decaying) == f"{(1 + factor * 2) ** -0.6:.0%}"


async def test_the_preset_form_sets_the_review_order(tmp_path: Path, clock: Clock) -> None:
    app = desk_app(tmp_path, clock)
    with app.desk.store.transaction() as tx:
        tx.put("presets", Preset(name="Lang"))
    async with app.run_test(size=(140, 50)) as pilot:
        await ready(pilot)
        await pilot.press("alt+o")
        assert isinstance(app.screen, PresetsScreen)
        await pilot.press("down", "e")
        form = app.screen
        assert isinstance(form, PresetFormScreen)
        choice = form.query_one("#p-review_order", Select)
        assert choice.value == "due"
        choice.value = "retrievability_ascending"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, PresetsScreen)
        [lang] = [p for p in app.screen.presets if p.name == "Lang"]
        assert lang.review_order == "retrievability_ascending"
        detail = " ".join(shown(app.screen.query_one("#presets-detail", Static)).split())
        assert "review order: retrievability_ascending" in detail


def test_the_forecast_says_how_even_it_is() -> None:
    forecast = [40, 10, 12, 8, 10]
    config = Config()
    assert forecast_label(forecast, config) == (
        "Due, next 30 days: 8–12 a day from tomorrow, sd 1.4 (load balancer on)"
    )
    config.easy_days = EasyDaysConfig(sunday=0.0, saturday="reduced")  # type: ignore[arg-type]
    assert forecast_label(forecast, config).endswith(
        "(load balancer on, easy days Sat 50%, Sun 0%)"
    )
    config.cards.load_balancer = False
    assert forecast_label(forecast, config).endswith("(load balancer off)")


async def test_the_review_area_counts_due_days_in_a_worker(tmp_path: Path, clock: Clock) -> None:
    """The load balancer's counts are ready before the first answer (a worker built them while the
    question showed), and the answer moves its card in them."""
    app = desk_app(tmp_path, clock)
    with app.desk.store.transaction() as tx:
        card = tx.put("cards", review("due now", 10.0, 10))
        for n in range(1, 40):
            tx.put("cards", review(f"later {n}", 50.0, 1, due=T0 + timedelta(days=n)))
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f4")
        session = app.review_pane.session
        assert session is not None
        counted = session.due_counts.counted
        assert counted is not None, "counted before any answer"
        first = T0.date().toordinal()
        assert counted.forecast(0, first, 40) == [1] * 40
        await pilot.press("space", "3")
        await pilot.pause()
        answered = app.desk.store.cards.get(card.id)  # type: ignore[attr-defined]
        assert answered is not None
        day = (answered.due - T0).days
        assert session.due_counts.counted is counted
        assert counted.forecast(0, first, 40)[0] == 0 and counted.count(0, first + day) == 2

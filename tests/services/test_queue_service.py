"""Queue and item use-cases against a real store: durable picks, carry-over across a study day,
the form's validation, exports written atomically."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deskwork.cli import main
from deskwork.domain.curriculum import Item, ItemStatus
from deskwork.interop import InteropError
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services import queue as qs
from deskwork.services.curriculum import export_file, import_file
from tests.helpers import T0, Clock


def open_desk(tmp_path: Path, clock: Clock) -> Desk:
    return Desk.open(Paths(tmp_path, tmp_path), clock=clock)


def add(desk: Desk, *titles: str) -> list[Item]:
    with desk.store.transaction() as tx:
        return [tx.put("items", Item(title=t, added=T0)) for t in titles]


def test_picks_survive_a_restart_and_leftovers_come_back_next_day(
    tmp_path: Path, clock: Clock
) -> None:
    desk = open_desk(tmp_path, clock)
    a, b, c = add(desk, "a", "b", "c")
    for item in (a, b, c):
        qs.toggle_today(desk, item.id)
    assert qs.move(desk, c.id, -2)
    qs.unit_done(desk, a.id)
    qs.set_status(desk, b.id, ItemStatus.DONE)
    desk.close()

    desk = open_desk(tmp_path, clock)
    assert [i.title for i in qs.today_queue(desk)] == ["c", "a", "b"]
    assert qs.get(desk, a.id).status is ItemStatus.ACTIVE, "picking or progress makes it active"
    clock.advance(days=1)
    assert qs.today_queue(desk) == []
    assert [i.title for i in qs.leftovers(desk)] == ["c", "a"], "b is done"
    assert [i.title for i in qs.bring_leftovers(desk)] == ["c", "a"]
    assert [i.title for i in qs.today_queue(desk)] == ["c", "a"]
    qs.toggle_today(desk, c.id)
    assert [i.title for i in qs.today_queue(desk)] == ["a"], "space again takes it off"
    desk.close()


def test_carry_to_tomorrow(tmp_path: Path, clock: Clock) -> None:
    desk = open_desk(tmp_path, clock)
    a, b = add(desk, "a", "b")
    qs.toggle_today(desk, a.id)
    qs.toggle_today(desk, b.id)
    assert [i.title for i in qs.carry_to_tomorrow(desk, [b.id])] == ["b"]
    assert [i.title for i in qs.today_queue(desk)] == ["a"]
    qs.carry_to_tomorrow(desk)
    clock.advance(days=1)
    assert [i.title for i in qs.today_queue(desk)] == ["b", "a"]
    desk.close()


def test_the_form_validates_and_names_the_field(tmp_path: Path, clock: Clock) -> None:
    desk = open_desk(tmp_path, clock)
    made = qs.save_form(desk, None, {"title": "CS231n", "kind": "course", "effort_points": "0.5"})
    assert made.id and made.effort_points == 0.5 and made.added == T0
    with pytest.raises(qs.ItemInvalid) as bad:
        qs.save_form(desk, made.id, {"effort_points": "-1"}, {"effort_points": "Effort (points)"})
    assert str(bad.value) == "Effort (points) must be 0 or more (got '-1')."
    with pytest.raises(qs.ItemInvalid) as missing:
        qs.save_form(desk, None, {"kind": "book"})
    assert str(missing.value) == "Title is required.", "one sentence, no pydantic dump"
    edited = qs.save_form(desk, made.id, {"status": "done"})
    assert edited.finished == T0 and qs.get(desk, made.id).effort_points == 0.5
    qs.delete(desk, made.id)
    with pytest.raises(KeyError):
        qs.get(desk, made.id)
    desk.close()


def test_exports_by_extension(tmp_path: Path, clock: Clock) -> None:
    desk = open_desk(tmp_path, clock)
    add(desk, "a course")
    with desk.store.transaction() as tx:
        tx.put("items", Item(title="A paper", kind="paper", arxiv_id="1706.03762", added=T0))
    assert export_file(desk, tmp_path / "c.csv") == 2
    assert export_file(desk, tmp_path / "c.md") == 2
    assert export_file(desk, tmp_path / "c.bib") == 1
    with pytest.raises(InteropError, match=r"export to \.csv, \.md or \.bib"):
        export_file(desk, tmp_path / "c.xlsx")
    desk.close()
    other = open_desk(tmp_path / "other", clock)
    assert [i.title for i in import_file(other, tmp_path / "c.md")] == ["a course", "A paper"]
    assert import_file(other, tmp_path / "c.csv") == [], "titles already there are skipped"
    other.close()


def test_cli_today_pick_and_carry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["queue", "import", "--starter"]) == 0
    capsys.readouterr()
    assert main(["queue", "today", "--pick", "1", "--pick", "3", "--json"]) == 0
    picked = json.loads(capsys.readouterr().out)
    assert [i["id"] for i in picked] == [1, 3]
    assert main(["today", "--json"]) == 0
    assert [i["id"] for i in json.loads(capsys.readouterr().out)["queue"]] == [1, 3]
    assert main(["queue", "today", "--carry", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["queue", "export", str(tmp_path / "all.md")]) == 0
    assert "wrote 23 items" in capsys.readouterr().out
    assert main(["queue", "today", "--pick", "999"]) == 1
    assert "no curriculum item 999" in capsys.readouterr().err


def test_import_markdown_file_from_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.interop.test_curriculum_formats import SEED004_TABLE

    path = tmp_path / "plan.md"
    path.write_text(SEED004_TABLE)
    assert main(["queue", "import", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == 5

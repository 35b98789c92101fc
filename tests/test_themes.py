"""Theme files become Textual themes; bad files are named and skipped; the choice persists."""

from __future__ import annotations

from pathlib import Path

from deskwork.paths import Paths
from deskwork.services import THEME, WELCOME_DONE, Desk
from deskwork.ui.app import DeskworkApp
from deskwork.ui.themes import bundled_themes_dir, desk_themes, load_theme_file, load_themes
from tests.helpers import Clock, child_json


def test_bundled_themes_load_and_include_a_light_one() -> None:
    themes, problems = load_themes(bundled_themes_dir())
    assert problems == []
    names = {t.name for t in themes}
    assert {"deskwork-dusk", "deskwork-paper", "deskwork-casablanca"} <= names
    assert any(not t.dark for t in themes)


def test_bad_theme_files_are_reported_by_name(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text("name = [unclosed\n")
    (tmp_path / "badcolour.toml").write_text('name = "mine"\nprimary = "not-a-colour"\n')
    (tmp_path / "nameless.toml").write_text('primary = "#112233"\n')
    (tmp_path / "good.toml").write_text('name = "good"\nprimary = "#112233"\ndark = false\n')
    themes, problems = load_themes(tmp_path)
    assert [t.name for t in themes] == ["good"]
    assert len(problems) == 3
    text = "\n".join(problems)
    assert "broken.toml" in text
    assert "badcolour.toml" in text and "'primary'" in text and "not a colour" in text
    assert f"theme {tmp_path / 'badcolour.toml'}, line 2: 'primary'" in text  # the line it is on
    assert "nameless.toml" in text and "'name'" in text


def _app(home: Path, clock: Clock) -> DeskworkApp:
    desk = Desk.open(Paths(home, home), clock=clock)
    desk.store.set_setting(WELCOME_DONE, True)
    return DeskworkApp(desk, show_clock=False)


async def test_user_theme_is_offered_bad_one_notified_and_choice_persists(
    tmp_path: Path, clock: Clock
) -> None:
    home = tmp_path / "home"
    (home / "themes").mkdir(parents=True)
    (home / "themes" / "mine.toml").write_text('name = "mine"\nprimary = "#AA3366"\n')
    (home / "themes" / "oops.toml").write_text('name = "oops"\nprimary = 12\n')
    app = _app(home, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.theme == "deskwork-dusk"
        assert "mine" in app.available_themes and "textual-dark" in app.available_themes
        assert any("oops.toml" in n for n in app.startup_notes)
        app.theme = "mine"
        await pilot.pause()
        await pilot.press("q")
    assert Desk.open(Paths(home, home), readonly=True).store.setting(THEME) == "mine"
    again = _app(home, clock)
    async with again.run_test(size=(120, 40)) as pilot:
        assert again.theme == "mine"
        await pilot.press("q")


async def test_unknown_configured_theme_falls_back(tmp_path: Path, clock: Clock) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text('[ui]\ntheme = "no-such-theme"\n')
    app = _app(home, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.theme == "deskwork-dusk"
        assert any("no-such-theme" in n for n in app.startup_notes)
        await pilot.press("q")


def test_each_bundled_theme_validates_and_a_start_builds_no_theme_validator(
    tmp_path: Path,
) -> None:
    """The app reads deskwork's own theme files as written (`desk_themes`): each must pass the
    checks a user's file passes, and reading them builds no validator (pydantic builds one on
    first use, ~1.4 ms of every start); a user's file is still checked."""
    shipped = {theme.name: theme for theme in desk_themes(tmp_path / "none")[0]}
    for path in sorted(bundled_themes_dir().glob("*.toml")):
        checked = load_theme_file(path)  # (raises, naming the problem, for a refused file)
        assert shipped[checked.name] == checked
    code = """
import json, sys
from pathlib import Path
from deskwork.ui.themes import ThemeFile, desk_themes
themes, problems = desk_themes(Path(sys.argv[1]))
built = ThemeFile.__pydantic_complete__
print(json.dumps([sorted(t.name for t in themes), problems, built]))
"""
    names, problems, built = child_json(code, str(tmp_path / "none"))
    assert {"deskwork-dusk", "deskwork-paper", "deskwork-casablanca"} <= set(names)
    assert problems == [] and built is False
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "deskwork-dusk.toml").write_text(
        'name = "deskwork-dusk"\nprimary = "#010203"\n'
    )
    (tmp_path / "themes" / "bad.toml").write_text('name = "bad"\nprimary = "nope"\n')
    themes, problems = desk_themes(tmp_path / "themes")
    dusk = next(t for t in themes if t.name == "deskwork-dusk")
    assert dusk.primary == "#010203"  # the user's file replaces the bundled theme of its name
    assert len(problems) == 1 and "bad.toml" in problems[0]

"""The controls the app builds with itself (timer, curriculum, cards, the day's turn) are typed
against ui/host.DeskHost (or a protocol built on it), not the app class: none imports the app
module, even for typing (the app imports them: a circle). mypy checks the app satisfies them."""

from __future__ import annotations

import ast
from pathlib import Path

import deskwork.ui

CONTROLS = ("timer_control", "curriculum_control", "cards_control", "card_transfer", "day_turn")


def _imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_controls_import_no_app_module() -> None:
    ui = Path(deskwork.ui.__file__).parent
    for name in CONTROLS:
        modules = _imported(ui / f"{name}.py")
        assert "deskwork.ui.app" not in modules, f"ui/{name}.py imports the app module"
        assert "deskwork.ui.host" in modules, f"ui/{name}.py is not typed against DeskHost"


def test_no_ui_module_imports_the_app_module() -> None:
    """The panes, screens and write guard are typed against ui/host.PaneHost: a module the app
    imports (directly or not) that imported the app back, even for typing, would be a circle."""
    ui = Path(deskwork.ui.__file__).parent
    importers = sorted(
        str(path.relative_to(ui))
        for path in ui.rglob("*.py")
        if path.name != "app.py" and "deskwork.ui.app" in _imported(path)
    )
    assert importers == [], f"these ui modules import the app module: {importers}"

"""The screens opened from the desk (card browser, curriculum, plan, decks) are imported ahead on
a worker once the app has settled, so opening one does not first freeze the loop importing it;
and not before the first frame (tests/test_startup_laziness.py checks that). A fresh interpreter,
as their import is long done in this one; nothing is timed."""

from __future__ import annotations

from pathlib import Path

from deskwork.services import WELCOME_DONE
from deskwork.store.store import Store
from deskwork.ui.screens_ahead import SCREEN_MODULES
from tests.helpers import child_json

CHILD = """
import json, sys, threading
from pathlib import Path
import deskwork.ui.warm_up as warm_up
from deskwork.cli import build_tui
from deskwork.paths import Paths
from deskwork.ui.screens_ahead import SCREEN_MODULES

warm_up.AHEAD_DELAY_S = 0.05  # the test does not wait the seconds a user reads the desk
importers = {}


class Watch:
    def find_spec(self, name, path=None, target=None):
        if name in SCREEN_MODULES:
            importers.setdefault(name, threading.current_thread().name)
        return None


sys.meta_path.insert(0, Watch())
app = build_tui(Paths(Path(sys.argv[1]), Path(sys.argv[1])))
at_first_frame = []


def first_frame() -> None:
    at_first_frame.extend(m for m in SCREEN_MODULES if m in sys.modules)
    app.set_interval(0.05, check)


def check() -> None:
    if all(m in sys.modules for m in SCREEN_MODULES) or check.n > 400:
        print(json.dumps({"first_frame": at_first_frame, "importers": importers}))
        app.exit()
    check.n += 1


check.n = 0
app.call_after_refresh(first_frame)
app.run(headless=True, size=(120, 40))
"""


def test_the_screens_are_imported_ahead_on_a_worker(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.set_setting(WELCOME_DONE, True)
    found = child_json(CHILD, str(data))
    assert found["first_frame"] == [], "none before the first frame"
    assert sorted(found["importers"]) == sorted(SCREEN_MODULES), "each imported ahead"
    assert "MainThread" not in found["importers"].values(), found["importers"]

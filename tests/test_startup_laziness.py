"""Start-up stays lazy: what the first frame does not show is not imported or built before it.

Each check runs a fresh interpreter (this process has imported everything long ago) and looks at
what it loaded; none is timed (the figures are in benchmarks/run.py: startup_ratio)."""

from __future__ import annotations

import ast
import builtins
from pathlib import Path

import deskwork
from deskwork.cli import build_parser, build_tui, tui_args
from deskwork.services import WELCOME_DONE
from deskwork.store.store import Store
from tests.helpers import child_json, make_card

# Never needed for the first frame: the network, file formats, the scheduler, images, the web
# server, and every screen that is not the desk.
NOT_AT_START = (
    "httpx",
    "yaml",
    "zstandard",
    "defusedxml",
    "fsrs",
    "plyer",
    "textual_image",
    "textual_serve",
    "deskwork.sources",
    "deskwork.interop.anki",
    "deskwork.ui.screens",
    "deskwork.ui.web_server",
    # the draft editor and Textual's TextArea come with the first draft opened
    "deskwork.ui.widgets.editor",
    "deskwork.ui.text_fields",
    "textual.widgets._text_area",
    "tree_sitter",
    # pydantic's plugin discovery (deskwork uses none: deskwork/pydantic_plugins.py)
    "importlib.metadata",
    # the subcommands (with the parser), a post's front matter (its export / import), the CSV
    # of the CLI's JSON sessions, importlib.resources (the themes' folder is the package's)
    "deskwork.cli_cards",
    "deskwork.cli_care",
    "deskwork.cli_drafts",
    "deskwork.cli_queue",
    "deskwork.cli_serve",
    "deskwork.cli_timer",
    "deskwork.interop.frontmatter",
    "deskwork.interop.sessions",
    "csv",
    "importlib.resources",
)


# The models of tables without a file yet (no Anki import: the heavy data has none), and the
# modules they come with, while the cards load after the first frame: the store names its tables' models and imports each on first use
# (store/schema.py); the scheduler takes its day count from studyday, not from the deck limits
# (which bring the presets: today's due counts need them, with the cards).
OTHER_TABLES = (
    "deskwork.domain.presets",
    "deskwork.domain.decklimits",
    "deskwork.domain.notetypes",
    "deskwork.domain.media",
)


def _child(code: str, *args: str) -> list[str]:
    found: list[str] = child_json(code, *args)
    return found


def _loaded(modules: list[str], prefixes: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes)]


def test_importing_the_command_loads_no_ui_network_or_format_library() -> None:
    modules = _child("import sys, json, deskwork.cli; print(json.dumps(sorted(sys.modules)))")
    assert "deskwork.cli" in modules
    assert _loaded(modules, (*NOT_AT_START, "textual", "rich", "deskwork.ui")) == []


def test_the_first_frame_loads_only_what_it_shows(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.set_setting(WELCOME_DONE, True)  # the desk, not the welcome screen
    code = """
import json, sys, tokenize
from pathlib import Path
from deskwork.cli import build_tui
from deskwork.paths import Paths

app = build_tui(Paths(Path(sys.argv[1]), Path(sys.argv[1])))

def first_frame() -> None:
    info = getattr(tokenize._compile, "cache_info", None)  # an lru_cache in CPython 3.11-3.13
    print(json.dumps([sorted(sys.modules), info().currsize if info else 0]))
    app.exit()

app.call_after_refresh(first_frame)
app.run(headless=True, size=(120, 40))
"""
    modules, tokenize_patterns = _child(code, str(data))
    assert "deskwork.ui.app" in modules and "textual" in modules  # it did draw the desk
    assert _loaded(modules, NOT_AT_START) == []
    # No builtin's text signature was parsed (see test_no_model_has_a_builtin_default_factory)
    assert tokenize_patterns == 0


def test_no_model_has_a_builtin_default_factory() -> None:
    """`Field(default_factory=list)` made pydantic parse `list`'s text signature while building
    the validator, and the first such parse compiles tokenize's patterns (~6 ms of every start):
    deskwork's models use domain.records.empty_list / empty_dict. Read from the source, so a new
    model anywhere (not only those the first frame builds) is held to it."""
    found = []
    root = Path(deskwork.__file__).parent
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "default_factory" not in text:
            continue
        for node in ast.walk(ast.parse(text)):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Field"):
                continue
            for kw in node.keywords:
                value = kw.value
                named = isinstance(value, ast.Name) and hasattr(builtins, value.id)
                if kw.arg == "default_factory" and named:
                    found.append(f"{path.relative_to(root)}:{node.lineno} {ast.unparse(value)}")
    assert found == []


def test_with_cards_to_load_the_review_session_is_not_built_before_the_first_frame(
    tmp_path: Path,
) -> None:
    """The card use-cases (the review queue over every card) come with the cards, on the
    warm-up worker: a collection on disk is not read before the first frame."""
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.set_setting(WELCOME_DONE, True)
        with store.transaction() as tx:
            for n in range(3):
                tx.put("cards", make_card(f"question {n}", back=f"answer {n}"))
    code = """
import json, sys
from pathlib import Path
from deskwork.cli import build_tui
from deskwork.paths import Paths

app = build_tui(Paths(Path(sys.argv[1]), Path(sys.argv[1])))

def first_frame() -> None:
    print(json.dumps(sorted(sys.modules)))
    app.exit()

app.call_after_refresh(first_frame)
app.run(headless=True, size=(120, 40))
"""
    modules = _child(code, str(data))
    assert "deskwork.ui.app" in modules
    # nor a card's rendering and review order, which come with the first card shown
    later = (
        "deskwork.services.cards",
        "deskwork.services.review_session",
        "deskwork.domain.render",
        "deskwork.domain.revieworder",
        "deskwork.domain.ankihtml",
        "deskwork.domain.template",
        "deskwork.domain.cloze",
        # nor the compaction (an opening deletes orphaned files through store/orphans.py)
        "deskwork.store.compaction",
    )
    assert _loaded(modules, (*NOT_AT_START, *later, *OTHER_TABLES)) == []


def test_without_a_config_file_no_config_validator_is_built(tmp_path: Path) -> None:
    code = """
import json, sys
from pathlib import Path
from deskwork.config import SECTIONS, Config, load_config

config, problems = load_config(Path(sys.argv[1]) / "config.toml")
assert problems == [] and config.timer.focus_minutes == 25
built = [m.__name__ for m in (Config, *SECTIONS.values()) if m.__pydantic_complete__]
print(json.dumps(built))
"""
    assert _child(code, str(tmp_path)) == []
    (tmp_path / "config.toml").write_text("[timer]\nfocus_minutes = 50\n")
    code_with_file = code.replace("== 25", "== 50")
    assert _child(code_with_file, str(tmp_path)) == ["TimerConfig"]  # only the section it has


def test_the_tui_command_line_is_read_as_the_parser_reads_it() -> None:
    parser = build_parser()
    for argv in (
        [],
        ["--debug"],
        ["--data-dir", "/x"],
        ["--data-dir=/x", "--debug"],
        ["--debug", "--data-dir", "y"],
        ["--data-dir", "a", "--data-dir", "b"],
    ):
        assert tui_args(argv) == parser.parse_args(argv)
    for argv in (
        ["today"],
        ["--help"],
        ["--version"],
        ["--data", "x"],  # an abbreviation: the parser's business
        ["--data-dir"],
        ["--data-dir="],
        ["--debug", "today"],
    ):
        assert tui_args(argv) is None


def test_the_collector_runs_rarely_while_starting_and_as_usual_after_the_first_frame(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.set_setting(WELCOME_DONE, True)
    code = """
import gc, json, sys
usual = gc.get_threshold()
from pathlib import Path
from deskwork.cli import build_tui
from deskwork.paths import Paths

collections = []
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info))
app = build_tui(Paths(Path(sys.argv[1]), Path(sys.argv[1])))
while_starting = [gc.get_threshold(), gc.isenabled()]

def first_frame() -> None:
    collections.append("first frame")
    # Once the first frame's callbacks have run (the warm-up's start puts the collector back), and
    # before the warm-up's worker is done (the idle collector then sets its own policy).
    app.call_later(after)

def after() -> None:
    print(json.dumps([usual, while_starting, gc.get_threshold(), gc.isenabled(), collections]))
    app.exit()

app.call_after_refresh(first_frame)
app.run(headless=True, size=(120, 40))
"""
    usual, (starting, on), after, enabled, collections = _child(code, str(data))
    assert starting[0] > usual[0] and starting[1:] == usual[1:]
    assert after == usual and enabled
    # From the TUI's build (the app's modules, the store's records) to the first frame, the
    # collector is off: what start-up made is frozen then (startup_gc.pause)
    assert not on
    assert collections[0] == "first frame"


def test_a_start_that_fails_before_the_app_runs_leaves_the_collector_on(tmp_path: Path) -> None:
    import gc

    from deskwork.paths import Paths
    from deskwork.store.lock import StoreLocked

    data = tmp_path / "data"
    assert gc.isenabled()
    with Store.open(data) as store:  # another deskwork holds the lock
        store.set_setting(WELCOME_DONE, True)
        try:
            build_tui(Paths(data, data))
        except StoreLocked:
            pass
        else:
            raise AssertionError("opened a data dir another deskwork holds")
    assert gc.isenabled()


def test_a_collector_policy_set_while_starting_is_left_alone() -> None:
    code = """
import gc, json
import deskwork
from deskwork import startup_gc
gc.set_threshold(5000, 20, 30)  # someone's own policy
startup_gc.end()
print(json.dumps(list(gc.get_threshold())))
"""
    assert _child(code) == [5000, 20, 30]


def test_a_command_puts_the_collector_back_as_it_was(tmp_path: Path) -> None:
    """Only the TUI's start keeps the raised threshold (until its first frame): a command (an
    import, `serve`…) runs with the usual collector."""
    code = """
import gc, json, sys
usual = gc.get_threshold()
from deskwork import cli
raised = gc.get_threshold()
seen = []
told = cli.cmd_config_path

def spy(args, paths):
    seen.append(gc.get_threshold())
    return told(args, paths)

cli.cmd_config_path = spy
cli.main(["--data-dir", sys.argv[1], "config", "path"])
print(json.dumps([usual, raised, seen]))
"""
    usual, raised, seen = _child(code, str(tmp_path))
    assert raised[0] > usual[0]  # while importing
    assert seen == [usual]


def test_the_first_frame_makes_no_widget_it_does_not_show(tmp_path: Path) -> None:
    """The tabs row (small terminals), the block clock (big ones), the review's type-in box and
    images row are made when first needed; the four-area desk's first frame has none of them."""
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.set_setting(WELCOME_DONE, True)
    code = """
import json, sys
from pathlib import Path
from deskwork.cli import build_tui
from deskwork.paths import Paths

app = build_tui(Paths(Path(sys.argv[1]), Path(sys.argv[1])))

def first_frame() -> None:
    ids = [w.id or "" for w in app.screen.walk_children(with_self=False)]
    print(json.dumps([ids, sorted(sys.modules)]))
    app.exit()

app.call_after_refresh(first_frame)
app.run(headless=True, size=(120, 40))
"""
    ids, modules = _child(code, str(data))
    assert "textual.widgets._tabs" not in modules  # the tabs row's code comes with the row
    assert {"timer", "queue", "review", "draft", "timer-head", "timer-body"} <= set(ids)
    later = {"pane-tabs", "timer-big", "review-typed", "review-images", "draft-edit"}
    assert later.isdisjoint(ids)


def test_the_store_imports_a_tables_model_on_first_use_and_primes_each_as_it_is_made() -> None:
    code = """
import json, sys
from deskwork.store import schema
from deskwork.store.lean import _SHARES_KEYS
from deskwork.domain.records import Record

before = "deskwork.domain.presets" in sys.modules
names = sorted(schema.TABLES)  # naming the tables imports nothing
after_naming = "deskwork.domain.presets" in sys.modules
model = schema.TABLES["presets"]
# a wide record model made after the store's modules is primed as its class is made
Wide = type("Wide", (Record,), {"__annotations__": {f"f{n}": int for n in range(20)}})
print(json.dumps([before, after_naming, model.__name__, "presets" in names,
                  "deck_options" in schema.TABLES, Wide in _SHARES_KEYS]))
"""
    assert _child(code) == [False, False, "Preset", True, True, True]


def test_a_bad_record_of_a_table_whose_model_comes_later_is_still_reported(tmp_path: Path) -> None:
    """The media model is imported when its table is read (at the store's opening, as every table
    but the lazily loaded ones), and the record that fails it is named as before."""
    from deskwork.domain.media import MediaFile
    from deskwork.store.checksums import sum_of
    from deskwork.store.manifest import read_manifest, write_manifest

    data = tmp_path / "data"
    with Store.open(data) as store, store.transaction() as tx:
        tx.put("media", MediaFile(name="a.png", sha256="0" * 64, size=3))
        tx.put("media", MediaFile(name="b.png", sha256="1" * 64, size=4))
    manifest = read_manifest(data)
    assert manifest is not None and manifest.sums is not None
    name = manifest.tables["media"][0]
    path = data / name
    path.write_text(path.read_text().replace('"1111', '"XYZ1'))  # not a sha-256 any more
    manifest.sums[name] = sum_of(path.read_bytes(), manifest.sums[name].id_set())
    write_manifest(data, manifest)  # a valid file holding a bad record
    code = """
import json, sys
from pathlib import Path
from deskwork.store.store import Store

before = "deskwork.domain.media" in sys.modules
store = Store.open(Path(sys.argv[1]), readonly=True)
print(json.dumps([before, [m.name for m in store.media.values()],
                  [[p.table, p.doc_id, p.error] for p in store.report.invalid]]))
"""
    before, names, invalid = _child(code, str(data))
    assert before is False
    assert names == ["a.png"]
    assert [(t, i) for t, i, _ in invalid] == [("media", "2")] and "sha256" in invalid[0][2]


def test_the_models_made_at_every_start_have_no_annotations_in_text() -> None:
    """With `from __future__ import annotations` pydantic evaluates every field's annotation from
    its text as the class is made (~0.6 ms for the config's twelve sections alone)."""
    code = """
import json
import pydantic
import deskwork.cli, deskwork.ui.app

def subclasses(cls):
    return [s for c in cls.__subclasses__() for s in (c, *subclasses(c))]

print(json.dumps(sorted(
    f"{model.__module__}.{model.__qualname__}.{name}"
    for model in subclasses(pydantic.BaseModel)
    if model.__module__.startswith("deskwork.")
    and model.__module__.split(".")[1] in ("config", "domain", "store")
    for name, annotation in vars(model).get("__annotations__", {}).items()
    if isinstance(annotation, str)
)))
"""
    assert _child(code) == []

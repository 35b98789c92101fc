"""Config: a bad key or value is reported (file, key, expectation) and the rest still applies."""

from __future__ import annotations

from pathlib import Path

from deskwork.config import Config, load_config
from deskwork.config_toml import config_as_toml
from deskwork.toml_keys import key_lines, line_of, where


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    config, problems = load_config(tmp_path / "nope.toml")
    assert config == Config() and problems == []


def test_valid_values_apply(tmp_path: Path) -> None:
    path = write(tmp_path, '[study]\nday_start_hour = 5\n[ui]\ntheme = "deskwork-paper"\n')
    config, problems = load_config(path)
    assert problems == []
    assert config.study.day_start_hour == 5 and config.ui.theme == "deskwork-paper"


def test_unknown_key_and_bad_value_are_named_and_the_rest_applies(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[study]\nday_start_hour = 27\n[ui]\ntheme = "deskwork-paper"\ncolour = "red"\n',
    )
    config, problems = load_config(path)
    assert config.ui.theme == "deskwork-paper", "the good key still applies"
    assert config.study.day_start_hour == 4, "the bad one falls back to its default"
    text = "\n".join(problems)
    assert str(path) in text
    assert "'study.day_start_hour' = 27" in text and "less than or equal to 23" in text
    assert "unknown key 'ui.colour'" in text


def test_wrong_type_for_a_whole_section(tmp_path: Path) -> None:
    config, problems = load_config(write(tmp_path, 'study = "monday"\n'))
    assert config.study.day_start_hour == 4
    assert any("'study'" in p for p in problems)


def test_invalid_toml_names_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[ui\ntheme = 1\n")
    config, problems = load_config(path)
    assert config == Config()
    assert len(problems) == 1 and str(path) in problems[0] and "line 1" in problems[0]


def test_effective_config_renders_as_toml_that_loads_back(tmp_path: Path) -> None:
    config, _ = load_config(
        write(tmp_path, '[keys]\n"app.help" = "h"\n[store]\nkeep_backups = 3\n')
    )
    again, problems = load_config(write(tmp_path, config_as_toml(config)))
    assert problems == [] and again == config


def test_the_readme_config_example_is_valid(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    block = readme.split("## Config", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    config, problems = load_config(write(tmp_path, block))
    assert problems == []
    assert config.study.rest_days == ["sat", "sun"] and config.keys["app.help"] == "h,f1"
    assert config.timer.hooks.on_focus_end.startswith("notify-send")
    # its [keys] are taken by the app as written: no example key that clashes with another
    from deskwork.ui.commands import ALL_COMMANDS
    from deskwork.ui.keymap import resolve_keymap

    keymap, refused = resolve_keymap(config.keys, ALL_COMMANDS, tmp_path / "config.toml")
    assert refused == [] and keymap.keys() == config.keys.keys()


def test_a_wrong_section_falls_back_alone_and_unknown_sections_are_named(tmp_path: Path) -> None:
    config, problems = load_config(
        write(tmp_path, 'study = "monday"\nnope = 1\n[ui]\ntheme = "deskwork-paper"\n')
    )
    assert config.study == Config().study and config.ui.theme == "deskwork-paper"
    text = "\n".join(problems)
    assert "'study' = 'monday'" in text and "unknown key 'nope'" in text
    assert config.model_dump() == Config(ui={"theme": "deskwork-paper"}).model_dump()


def test_keys_must_be_strings(tmp_path: Path) -> None:
    config, problems = load_config(write(tmp_path, '[keys]\n"app.help" = 3\n"app.quit" = "q"\n'))
    assert config.keys == {"app.quit": "q"}
    assert any("'keys.app.help' = 3" in p for p in problems)


def test_every_problem_names_the_line_of_the_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "# a comment\n"
        'study = "monday"\n'
        "nope = 1\n"
        "[ui]\n"
        "theme = 1\n"
        "compact_below_width = 3\n"
        "[timer]\n"
        'notes = """\n'
        "fake = 1\n"
        '"""\n'
        "[timer.hooks]\n"
        "on_focus_end = 5\n"
        "[cards]\n"
        '"new_per_day" = -5\n',
    )
    _, problems = load_config(path)
    lines = {p.split(": ", 2)[1]: p.split(": ", 1)[0] for p in problems}
    assert lines == {
        "'study' = 'monday'": f"{path}, line 2",
        "unknown key 'nope' (ignored)": f"{path}, line 3",
        "'ui.theme' = 1": f"{path}, line 5",
        "'ui.compact_below_width' = 3": f"{path}, line 6",
        "unknown key 'timer.notes' (ignored)": f"{path}, line 8",  # not the 'fake' inside it
        "'timer.hooks.on_focus_end' = 5": f"{path}, line 12",
        "'cards.new_per_day' = -5": f"{path}, line 14",
    }


def test_key_lines_reads_dotted_quoted_and_inline_keys() -> None:
    text = "[a.\"b.c\"]\nx.y = 1\n  'z' = { w = 2 }\n[[list]]\nv = 3\n"
    lines = key_lines(text)
    assert lines[("a", "b.c")] == 1 and lines[("a", "b.c", "x", "y")] == 2
    assert lines[("a", "b.c", "z")] == 3
    assert line_of(lines, ("a", "b.c", "z", "w")) == 3  # inside the inline table: its key's line
    assert lines[("list",)] == 4 and line_of(lines, ("list", "0", "v")) == 4  # an array of tables


def test_where_names_only_the_file_when_the_key_is_not_written(tmp_path: Path) -> None:
    path = write(tmp_path, "[ui]\ntheme = 'x'\n")
    assert where(path, "keys", "app.help") == str(path)
    assert where(path, "ui", "theme") == f"{path}, line 2"
    assert where(tmp_path / "absent.toml", "ui") == str(tmp_path / "absent.toml")


def test_fsrs_parameters_the_model_would_clip_are_named_not_clipped(tmp_path: Path) -> None:
    values = [0.4, 1.2, 3.2, 15.7, 7.2, 0.5, 1.5, 0.9, 1.6, 0.1, 1.0, 1.9, 0.1, 0.3, 2.3, 0.2,
              3.0, 0.5, 0.6, 0.1, 0.2]  # fmt: skip
    path = write(tmp_path, f"[cards]\nfsrs_parameters = {values}\n")
    config, [problem] = load_config(path)
    assert problem.startswith(f"{path}, line 2: 'cards.fsrs_parameters'")
    assert "w7 = 0.9 (0.001–0.75)" in problem and config.cards.fsrs_parameters == []
    values[7] = 0.5
    config, problems = load_config(write(tmp_path, f"[cards]\nfsrs_parameters = {values}\n"))
    assert problems == [] and config.cards.fsrs_parameters == values


def test_refused_values_are_told_in_words_not_patterns(tmp_path: Path) -> None:
    """A value refused by a pattern is told by what the pattern means, and a validator's message
    without pydantic's 'Value error,' prefix."""
    path = tmp_path / "config.toml"
    path.write_text(
        '[timer]\nend_of_day = "25:99"\n\n[sources]\narxiv_api = "ftp://x"\n\n'
        "[cards]\nfsrs_parameters = [1, 2]\n"
    )
    config, problems = load_config(path)
    assert config.timer.end_of_day == "19:00"
    text = "\n".join(problems)
    assert "line 2: 'timer.end_of_day' = '25:99': expected a time of day as HH:MM" in text
    assert "line 5: 'sources.arxiv_api' = 'ftp://x': expected a web address" in text
    assert "line 8: 'cards.fsrs_parameters' = [1, 2]: FSRS parameters: expected 17" in text
    assert "pattern" not in text and "Value error" not in text, text

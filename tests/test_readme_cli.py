"""The README's CLI names only commands and options `deskwork` has: every `deskwork …` it shows
(in the CLI reference and in the prose) and every command it lists as read-only parse."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from deskwork.cli import build_parser

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
GROUPS = {"queue", "cards", "drafts", "sessions", "timer", "config", "presets"}


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _resolve(words: list[str]) -> tuple[list[str], argparse.ArgumentParser, str | None]:
    """The command path the words name, its parser, and the first word that is no command of a
    command group (None when every group word was a known command)."""
    parser, path = build_parser(), []
    for word in words:
        subs = _subparsers(parser)
        if not subs:
            break
        if word not in subs:
            return path, parser, word
        parser = subs[word]
        path.append(word)
        if word not in GROUPS:
            break
    return path, parser, None


def _named_commands() -> list[list[str]]:
    found = []
    for m in re.finditer(r"deskwork((?: [a-z][a-z]*)+)", README):
        words = m.group(1).split()
        if words[0] in _subparsers(build_parser()):
            found.append(words)
    return found


def _read_only() -> list[list[str]]:
    text = README.split("Read-only commands (", 1)[1].split(")", 1)[0]
    return [name.split() for name in re.findall(r"`([^`]+)`", text)]


@pytest.mark.parametrize("words", _named_commands() + _read_only(), ids=" ".join)
def test_every_command_the_readme_names_exists(words: list[str]) -> None:
    path, _, stray = _resolve(words)
    assert path and path[0] == words[0], words
    if path[-1] in GROUPS and len(words) > len(path):
        assert stray is None, f"`deskwork {' '.join(words)}`: no command {stray!r}"


def test_every_option_of_the_cli_reference_exists() -> None:
    block = README.split("## CLI reference", 1)[1].split("```")[1]
    for line in block.splitlines():
        if not line.startswith("deskwork "):
            continue
        spec = re.split(r"\s{2,}", line)[0]
        words = [w for w in spec.split()[1:] if re.fullmatch(r"[a-z]+", w)]
        path, parser, stray = _resolve(words)
        assert stray is None, spec
        options = {o for a in parser._actions for o in a.option_strings}
        options |= {o for a in build_parser()._actions for o in a.option_strings}
        for option in re.findall(r"--[a-z][a-z-]*", spec):
            assert option in options, f"{spec}: {option} is no option of deskwork {' '.join(path)}"

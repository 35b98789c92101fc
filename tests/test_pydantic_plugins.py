"""deskwork does not look for pydantic plugins (deskwork/pydantic_plugins.py) unless the user set
pydantic's own switch. Each check runs a fresh interpreter: this one imported pydantic long ago."""

from __future__ import annotations

import json
import os
import subprocess
import sys

BUILD_A_MODEL = """
import json, sys
import deskwork
from pydantic import BaseModel

class A(BaseModel):
    x: int

assert A(x="3").x == 3  # validators work as ever
loader = sys.modules["pydantic.plugin._loader"]
print(json.dumps([
    "importlib.metadata" in sys.modules,
    type(loader).__name__,
    list(loader.get_plugins()),
]))
"""


def _child(code: str, **env: str) -> list[object]:
    clean = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        env=clean | env,
        timeout=60,
    ).stdout
    found: list[object] = json.loads(out.strip().splitlines()[-1])
    return found


def test_no_plugin_discovery_and_no_metadata_import_by_default() -> None:
    assert _child(BUILD_A_MODEL) == [False, "_NoPlugins", []]


def test_a_user_who_set_pydantics_switch_gets_pydantics_own_loader() -> None:
    # The empty string is pydantic's "load every plugin"; `__all__` its "none": both are a choice
    # deskwork leaves to pydantic.
    for value in ("", "__all__", "some_plugin"):
        seen, kind, plugins = _child(BUILD_A_MODEL, PYDANTIC_DISABLE_PLUGINS=value)
        assert kind == "module" and seen is True and plugins == []


def test_anything_else_asked_of_the_loader_is_the_real_loaders() -> None:
    code = """
import json, sys
import deskwork
from pydantic.plugin import _loader
group = _loader.PYDANTIC_ENTRY_POINT_GROUP  # not in the stand-in: the real module is loaded
real = sys.modules["pydantic.plugin._loader"]
print(json.dumps([group, type(real).__name__, "importlib.metadata" in sys.modules]))
"""
    assert _child(code) == ["pydantic", "module", True]

"""Whether this app runs in a browser tab (`deskwork serve`), and what that changes in messages.

Kept free of Textual and aiohttp: the server process and every screen import it cheaply.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

SERVED_ENV = "DESKWORK_SERVED"  # set by `deskwork serve` in the environment of each tab's app


def is_served() -> bool:
    return os.environ.get(SERVED_ENV) == "1"


def where(path: Path | str) -> str:
    """A written file's full path, and in a browser tab the machine it is on (not the reader's)."""
    full = str(Path(path).expanduser().absolute())
    return (
        f"{full} on {socket.gethostname()} (the machine serving this page)" if is_served() else full
    )

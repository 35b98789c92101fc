"""`deskwork serve`: the same desk (same data dir, same config) in a browser tab."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from deskwork.clikit import EXIT_USAGE, CliError
from deskwork.paths import Paths
from deskwork.store.lock import is_locked

REMOTE_WARNING = (
    "deskwork serve: WARNING: listening on {host}, which other machines can reach. There is no "
    "password and no encryption (textual-serve has no authentication): anyone who can reach this "
    "port can read and change your desk and write export files on this machine. Use it only on a "
    "network you trust; from elsewhere, keep the default 127.0.0.1 and use an SSH tunnel "
    "(ssh -L {port}:127.0.0.1:{port} this-machine)."
)


def cmd_serve(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.ui.web_server import DeskServer, app_command, is_loopback

    if not 0 <= args.port <= 65535:
        raise CliError(f"--port {args.port}: between 0 (any free port) and 65535", EXIT_USAGE)
    remote = not is_loopback(args.host)
    if remote and not args.allow_remote:
        raise CliError(
            f"--host {args.host} is reachable from other machines and the page has no password: "
            "add --allow-remote if that is what you want (see the README's security note)",
            EXIT_USAGE,
        )
    holder = is_locked(paths.data_dir)
    if holder is not None:
        print(
            f"deskwork serve: note: the data dir is in use by {holder.get('what', 'deskwork')} "
            f"(pid {holder.get('pid', '?')}); tabs will say so until it quits",
            file=sys.stderr,
        )

    def say(text: str) -> None:
        print(f"deskwork serve: {text}", flush=True)

    def ready(url: str) -> None:
        if remote:
            print(REMOTE_WARNING.format(host=args.host, port=url.rsplit(":", 1)[1].strip("/")),
                  file=sys.stderr, flush=True)  # fmt: skip
        say(f"serving the desk in {paths.data_dir} at {url}")
        say("one tab at a time holds the desk; closing the tab saves; Ctrl+C stops the server")
        if args.open:
            import webbrowser

            if not webbrowser.open(url):
                say("no web browser to open here: open the URL above yourself")

    command = app_command(sys.executable, args.data_dir, args.debug)
    server = DeskServer(command, host=args.host, port=args.port, say=say)
    try:
        server.serve_forever(ready)
    except OSError as exc:
        raise CliError(
            f"cannot listen on {args.host} port {args.port}: {exc.strerror or exc}"
        ) from None
    return 0


def register(add: Any, sub: Any) -> None:
    serve = add(
        sub,
        "serve",
        cmd_serve,
        "open the desk in a browser tab (textual-serve), on 127.0.0.1 unless told otherwise",
        json_flag=False,
    )
    serve.set_defaults(remote=None)  # never handed to a running app: it takes no lock anyway
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (8000; 0 = any free port)")
    serve.add_argument("--open", action="store_true", help="open the page in the web browser")
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host other machines can reach (no authentication: see the README)",
    )

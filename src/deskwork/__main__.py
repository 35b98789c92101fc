"""`python -m deskwork` runs the same entry point as the `deskwork` command."""

from deskwork.cli import main

raise SystemExit(main())

"""Use-cases shared by the CLI and the TUI. The UI and the CLI never touch the store's files directly."""

from deskwork.services.desk import THEME, WELCOME_DONE, DaySummary, Desk

__all__ = ["THEME", "WELCOME_DONE", "DaySummary", "Desk"]

"""Modal screens: help, welcome."""

"""Pure logic and pydantic models. No Textual, no I/O; the clock is always a parameter."""

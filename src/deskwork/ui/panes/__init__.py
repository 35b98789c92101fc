"""The four desk areas, one module each."""

"""`Cancelled`: work given up because the user (or the app closing) asked, the one exception for
it in every layer. Nothing was saved. Code that turns failures into messages ("cannot be read",
"refused") lets it through, so a cancel is said as a cancel, not as a damaged file."""


class Cancelled(Exception):
    """Work given up on request: nothing was saved."""

"""One-line table cells drawn without Rich's render pipeline.

Textual's DataTable draws every cell through `Styled(Padding(cell))` and `Console.render_lines`:
a Text cell in a one-line row costs ~0.15 ms there (generators, a copy of the Text, wrapping,
line splitting, padding), and a screenful of a seven-column table is 200+ cells: 30 ms of a
frozen loop whenever the table is drawn afresh (opened, searched, focused). For the cells the
deskwork tables hold (a `Text` without spans, newlines or tabs, not wrapped, justified left,
right or by default, overflow fold / crop / ellipsis) the same segments are built here directly:
the text fitted to the width exactly as `Text.wrap` / `Lines.justify` / `Text.truncate` fit it,
the padding and the fill as `Padding` and `Segment.adjust_line_length` add them, the styles as
`Styled` layers them. Any other cell returns None and goes through DataTable's own code.
tests/ui/test_table_cells.py draws random cells both ways and compares every segment.

The segments are built without the cell's place (its `row` / `column` meta, which DataTable puts
under every segment for the mouse): `with_meta` adds it, so one rendering serves every cell with
the same text and styles (a deck name, a state, a date repeated down the table)."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions
from rich.control import strip_control_codes
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

_JUSTIFY = frozenset({"default", "left", "right"})
_OVERFLOW = frozenset({"fold", "crop", "ellipsis"})


def _truncate(plain: str, width: int, overflow: str, pad: bool = False) -> str:
    """`Text.truncate` on a plain string."""
    length = cell_len(plain)
    if length > width:
        if overflow == "ellipsis":
            plain = set_cell_size(plain, width - 1) + "…"
        else:
            plain = set_cell_size(plain, width)
    if pad and length < width:
        plain = plain + " " * (width - length)
    return plain


def _fit(plain: str, width: int, justify: str, overflow: str) -> str:
    """A single unwrapped line as `Text.wrap` leaves it (its justify step, then its truncate)."""
    if justify == "left":
        plain = _truncate(plain, width, overflow, pad=True)
    elif justify == "right":
        plain = _truncate(plain.rstrip(), width, overflow)
        plain = " " * (width - cell_len(plain)) + plain
    return _truncate(plain, width, overflow)


def one_line_cell(
    cell: object,
    width: int,
    padding: int,
    pre_style: Style,
    post_style: Style,
    console: Console,
    options: ConsoleOptions,
) -> list[Segment] | None:
    """The segments DataTable draws for `cell` in a one-line row `width` cells wide (padding
    included), under `pre_style` (the row's and the cursor's styles) and `post_style`, without
    the cell's meta; None where the cell is not of the simple kind."""
    if type(cell) is not Text or cell.spans or cell.no_wrap is False:
        return None
    plain = cell.plain
    if "\n" in plain or "\t" in plain or strip_control_codes(plain) != plain:
        return None
    if cell.end not in ("\n", "") or pre_style._meta or post_style._meta:
        return None
    inner = width - 2 * padding
    justify = cell.justify or options.justify or "default"
    overflow = cell.overflow or options.overflow or "fold"
    if justify not in _JUSTIFY or overflow not in _OVERFLOW:
        return None
    if inner < 2 and not (inner == 1 and cell_len(plain) <= 1):  # a mark column: "●" or ""
        return None
    text = _fit(plain, inner, justify, overflow)
    style = console.get_style(cell.style, default=Style.null()) if cell.style else None
    if style is not None and style._meta:
        return None
    fill = console.get_style("none")  # Padding's style: what its spaces and the fill carry
    parts: list[Segment] = []
    if padding:
        parts.append(Segment(" " * padding, fill))
    if style is None:
        parts.append(Segment(text))  # Text.render: an unstyled line is one segment, even empty
    elif text:
        parts.append(Segment(text, style))
    used = cell_len(text)
    if used < inner:
        parts.append(Segment(" " * (inner - used), fill))
    if padding:
        parts.append(Segment(" " * padding, fill))
    return list(Segment.apply_style(parts, style=pre_style, post_style=post_style))


def with_meta(segments: list[Segment], meta: Style) -> list[Segment]:
    """The segments with the cell's place added to each style, as DataTable's pre-style adds it."""
    return [
        Segment(text, None if control else (style + meta if style else meta), control)
        for text, style, control in segments
    ]

"""Ticket codes in three-row letters, readable from across the counter."""

from __future__ import annotations

from itertools import pairwise

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

# Each glyph is three rows of three cells, drawn with box-drawing characters so it renders in
# any terminal font. Letters that share a shape with a digit (O/0, S/5, Z/2) never stand in the
# same position of a ticket code (prefix letters, then digits).
_FONT: dict[str, tuple[str, str, str]] = {
    "0": ("┏━┓", "┃ ┃", "┗━┛"),
    "1": ("╺┓ ", " ┃ ", "╺┻╸"),
    "2": ("╺━┓", "┏━┛", "┗━╸"),
    "3": ("╺━┓", " ━┫", "╺━┛"),
    "4": ("╻ ╻", "┗━┫", "  ╹"),
    "5": ("┏━╸", "┗━┓", "╺━┛"),
    "6": ("┏━╸", "┣━┓", "┗━┛"),
    "7": ("╺━┓", "  ┃", "  ╹"),
    "8": ("┏━┓", "┣━┫", "┗━┛"),
    "9": ("┏━┓", "┗━┫", "╺━┛"),
    "-": ("   ", "╺━╸", "   "),
    " ": ("   ", "   ", "   "),
    "A": ("┏━┓", "┣━┫", "╹ ╹"),
    "B": ("┏┓ ", "┣┻┓", "┗━┛"),
    "C": ("┏━╸", "┃  ", "┗━╸"),
    "D": ("┳━┓", "┃ ┃", "┻━┛"),
    "E": ("┏━╸", "┣━ ", "┗━╸"),
    "F": ("┏━╸", "┣━ ", "╹  "),
    "G": ("┏━╸", "┃╺┓", "┗━┛"),
    "H": ("╻ ╻", "┣━┫", "╹ ╹"),
    "I": ("╺┳╸", " ┃ ", "╺┻╸"),
    "J": ("  ╻", "  ┃", "┗━┛"),
    "K": ("╻ ╻", "┣┳┛", "╹┗╸"),
    "L": ("╻  ", "┃  ", "┗━╸"),
    "M": ("┏┳┓", "┃┃┃", "╹ ╹"),
    "N": ("┏┓╻", "┃┗┫", "╹ ╹"),
    "O": ("┏━┓", "┃ ┃", "┗━┛"),
    "P": ("┏━┓", "┣━┛", "╹  "),
    "Q": ("┏━┓", "┃ ┃", "┗━╋"),
    "R": ("┏━┓", "┣┳┛", "╹┗╸"),
    "S": ("┏━╸", "┗━┓", "╺━┛"),
    "T": ("╺┳╸", " ┃ ", " ╹ "),
    "U": ("╻ ╻", "┃ ┃", "┗━┛"),
    "V": ("╻ ╻", "╲ ╱", " ╹ "),
    "W": ("╻ ╻", "┃┃┃", "┗┻┛"),
    "X": ("╲ ╱", " ╳ ", "╱ ╲"),
    "Y": ("╻ ╻", "┗┳┛", " ╹ "),
    "Z": ("╺━┓", "┏━┛", "┗━╸"),
}


# Which sides each stroke character joins (Up, Down, Left, Right): scaling a glyph repeats its
# inner row and column, continuing the strokes that cross them.
_JOINS: dict[str, str] = {
    "┏": "DR", "┓": "DL", "┗": "UR", "┛": "UL", "━": "LR", "┃": "UD", "┣": "UDR", "┫": "UDL",
    "┳": "DLR", "┻": "ULR", "╋": "UDLR", "╸": "L", "╺": "R", "╹": "U", "╻": "D",
}  # fmt: skip


def _scaled(glyph: tuple[str, str, str], scale: int) -> list[str]:
    if scale <= 1:
        return list(glyph)
    extra = scale - 1

    def widen(row: str) -> str:
        out = row[0]
        for left, right in pairwise(row):
            fill = "━" if "R" in _JOINS.get(left, "") and "L" in _JOINS.get(right, "") else " "
            out += fill * extra + right
        return out

    def between(top: str, bottom: str) -> str:
        return "".join(
            "┃" if "D" in _JOINS.get(a, "") and "U" in _JOINS.get(b, "") else " "
            for a, b in zip(top, bottom, strict=True)
        )

    wide = [widen(r) for r in glyph]
    rows = [wide[0]]
    for top, bottom in pairwise(wide):
        rows += [between(top, bottom)] * extra + [bottom]
    return rows


def big_lines(text: str, scale: int = 1) -> tuple[str, ...]:
    """`text` as rows of big glyphs (3 rows, or 2×scale+1); unknown characters become blanks.

    Diagonal glyphs (V, X) do not stretch cleanly; they keep their strokes at the corners.
    """
    glyphs = [_scaled(_FONT.get(ch, _FONT[" "]), scale) for ch in text.upper()]
    height = 2 * max(scale, 1) + 1
    gap = " " * max(scale, 1)
    return tuple(gap.join(g[i] for g in glyphs) for i in range(height))


class BigText(Widget):
    """A short text (a ticket code) drawn three rows high (more when scaled); plain text when
    too narrow."""

    DEFAULT_CSS = """
    BigText { height: auto; width: auto; max-width: 100%; }
    """

    text: reactive[str] = reactive("", layout=True)
    scale: reactive[int] = reactive(1, layout=True)

    def __init__(
        self, text: str = "", *, scale: int = 1, id: str | None = None, classes: str | None = None
    ):
        super().__init__(id=id, classes=classes)
        self.text = text
        self.scale = scale

    def _fit(self) -> None:
        # The size is set as styles: Textual caches a widget's box model between layouts, and
        # a new scale with the same text would otherwise keep the old size.
        rows = big_lines(self.text, self.scale)
        self.styles.width = len(rows[0])
        self.styles.height = len(rows)

    def watch_text(self) -> None:
        self._fit()

    def watch_scale(self) -> None:
        self._fit()

    def render(self) -> Text:
        rows = big_lines(self.text, self.scale)
        if self.size.width and len(rows[0]) > self.size.width:
            return Text(self.text, style="bold")
        return Text("\n".join(rows))

    def get_content_width(self, container: object, viewport: object) -> int:
        return len(big_lines(self.text, self.scale)[0])

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        rows = big_lines(self.text, self.scale)
        return 1 if width and len(rows[0]) > width else len(rows)

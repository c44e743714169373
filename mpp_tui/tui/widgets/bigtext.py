"""Ticket codes in three-row letters, readable from across the counter."""

from __future__ import annotations

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


def big_lines(text: str) -> tuple[str, str, str]:
    """`text` as three rows of big glyphs; characters without a glyph become a blank."""
    glyphs = [_FONT.get(ch, _FONT[" "]) for ch in text.upper()]
    rows = tuple(" ".join(g[i] for g in glyphs) for i in range(3))
    return rows[0], rows[1], rows[2]


class BigText(Widget):
    """A short text (a ticket code) drawn three rows high; plain text when too narrow."""

    DEFAULT_CSS = """
    BigText { height: 3; width: auto; }
    """

    text: reactive[str] = reactive("", layout=True)

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.text = text

    def render(self) -> Text:
        rows = big_lines(self.text)
        if self.size.width and len(rows[0]) > self.size.width:
            return Text(self.text, style="bold")
        return Text("\n".join(rows))

    def get_content_width(self, container: object, viewport: object) -> int:
        return len(big_lines(self.text)[0])

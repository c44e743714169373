"""Words shared by several screens and commands."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # --- words shared by several screens and commands -----------------------------------------
    "word.free": ("gratis", "free"),
    "word.yes": ("ya", "yes"),
    "word.no": ("tidak", "no"),
    "word.minutes": ("{n} mnt", "{n} min"),
    "tui.yes": ("Ya", "Yes"),
    "tui.no": ("Tidak", "No"),
    "tui.total": ("Jumlah", "Total"),
}

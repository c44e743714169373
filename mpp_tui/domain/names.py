"""A name in both of the hall's languages, picked in one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Name:
    """A name from reference data in Bahasa Indonesia and English.

    Args:
        id: the Indonesian name (always present; the hall's own language).
        en: the English name; empty means "same as the Indonesian one".
    """

    id: str
    en: str = ""

    def pick(self, lang: str) -> str:
        """The name in `lang` ("en" gives English when there is one; anything else Indonesian)."""
        return self.en if lang == "en" and self.en else self.id

    # Messages render their parameters with `render(lang)` (see domain.errors).
    render = pick

    def __str__(self) -> str:
        return self.id

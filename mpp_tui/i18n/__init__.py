"""Message catalogue: Bahasa Indonesia by default, English on request.

Every user-facing string goes through :func:`t`. The catalogue (:mod:`mpp_tui.i18n.catalog`) keeps
both languages of a message side by side, one file per screen, so a missing translation is visible
in review (and caught by a test).
"""

from __future__ import annotations

from typing import Final

from mpp_tui.i18n.catalog import load

DEFAULT_LANG: Final = "id"
LANGS: Final = ("id", "en")

# key -> (Indonesian, English). Placeholders use str.format names.
MESSAGES: Final[dict[str, tuple[str, str]]] = load()


def normalise_lang(lang: str | None) -> str:
    """Return a supported language code, falling back to Indonesian."""
    if lang is None:
        return DEFAULT_LANG
    code = lang.strip().lower()[:2]
    return code if code in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, /, **params: object) -> str:
    """Translate `key` into `lang`, filling `params`.

    An unknown key is returned as-is so a missing entry is visible rather than fatal.
    """
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    text = pair[1] if normalise_lang(lang) == "en" else pair[0]
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text

"""Message catalogue: Bahasa Indonesia by default, English on request.

Every user-facing string goes through :func:`t`. The catalogue (:mod:`mpp_tui.i18n.catalog`) keeps
both languages of a message side by side, one file per screen, so a missing translation is visible
in review (and caught by a test).

Counts: a placeholder with a format of its own, ``{n:# ticket|# tickets}``, picks the singular or
the plural form by the language's rule and writes the count there ("#") with the language's digit
groups; ``{n:#}`` is the count alone, formatted. Indonesian has no plural forms: write
``{n:#} tiket``. Numbers, times and dates outside messages: :mod:`mpp_tui.i18n.formats`.
"""

from __future__ import annotations

import re
from typing import Final

from mpp_tui.i18n.catalog import load
from mpp_tui.i18n.formats import ClockText, ClockTime, Formats, Localised, duration, formats

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "MESSAGES",
    "ClockText",
    "ClockTime",
    "Formats",
    "Localised",
    "duration",
    "formats",
    "normalise_lang",
    "t",
]

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
    code = normalise_lang(lang)
    text = pair[1] if code == "en" else pair[0]
    if "#" in text:
        text = _COUNT.sub(lambda m: _count(m, formats(code), params), text)
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


# `{n:# ticket|# tickets}` or `{n:#}`: a count, its forms separated by "|".
_COUNT = re.compile(r"\{(\w+):([^{}]*#[^{}]*)\}")


def _count(match: re.Match[str], fmt: Formats, params: dict[str, object]) -> str:
    """One count placeholder written out (a value that is not a number takes the plural form)."""
    if match[1] not in params:
        return match[0]
    value = params[match[1]]
    one, _, other = match[2].partition("|")
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = fmt.plural(value, one, other or one)
    else:
        text = (other or one).replace("#", str(value))
    return text.replace("{", "{{").replace("}", "}}")

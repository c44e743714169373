"""The message catalog (mpp_tui.i18n): complete in both languages, consistent placeholders."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from mpp_tui.domain.enums import CounterState, PauseReason, TicketStatus
from mpp_tui.domain.errors import Act, Conflict, ReferenceDataError
from mpp_tui.domain.rules import TRANSITIONS
from mpp_tui.i18n import DEFAULT_LANG, LANGS, MESSAGES, normalise_lang, t

PACKAGE = Path(__file__).resolve().parents[2] / "mpp_tui"
KEYS = sorted(MESSAGES)


def placeholders(text: str) -> set[str]:
    """Field names used by a str.format template."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_catalog_is_not_empty_and_default_is_indonesian() -> None:
    """The catalog has entries, and Indonesian is the default of two languages."""
    assert len(MESSAGES) > 50
    assert DEFAULT_LANG == "id"
    assert LANGS == ("id", "en")


@pytest.mark.parametrize("key", KEYS)
def test_entry_has_both_languages(key: str) -> None:
    """Every catalog entry is a pair of non-empty Indonesian and English texts."""
    entry = MESSAGES[key]
    assert isinstance(entry, tuple)
    assert len(entry) == 2
    text_id, text_en = entry
    assert isinstance(text_id, str)
    assert isinstance(text_en, str)
    assert text_id.strip(), f"{key}: Indonesian text is empty"
    assert text_en.strip(), f"{key}: English text is empty"


@pytest.mark.parametrize("key", KEYS)
def test_placeholders_match_between_languages(key: str) -> None:
    """Both languages of a message use the same set of placeholder names (and parse cleanly)."""
    text_id, text_en = MESSAGES[key]
    assert placeholders(text_id) == placeholders(text_en), key


@pytest.mark.parametrize("key", KEYS)
def test_every_message_formats_in_both_languages(key: str) -> None:
    """Given all its placeholders, t() fills every one of them in both languages."""
    params = {name: f"<{name}>" for name in placeholders(MESSAGES[key][0])}
    for lang in LANGS:
        out = t(key, lang, **params)
        assert placeholders(out) == set(), (key, lang, out)
        for value in params.values():
            assert value in out, (key, lang, out)


def test_t_picks_the_language() -> None:
    """t() gives Indonesian by default and English on request."""
    assert t("status.waiting") == "menunggu"
    assert t("status.waiting", "id") == "menunggu"
    assert t("status.waiting", "en") == "waiting"
    assert t("err.service_not_found", "en", service="KTP") == (
        "Unknown service 'KTP' (list: mpp services)."
    )


def test_t_falls_back_for_unknown_keys() -> None:
    """An unknown key comes back as-is (visible, never an exception), in any language."""
    assert t("err.no_such_message") == "err.no_such_message"
    assert t("err.no_such_message", "en", x=1) == "err.no_such_message"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (None, "id"),
        ("en", "en"),
        ("EN", "en"),
        ("en_US.UTF-8", "en"),
        ("id-ID", "id"),
        ("fr", "id"),
        ("", "id"),
        ("  en  ", "en"),
    ],
)
def test_normalise_lang(lang: str | None, expected: str) -> None:
    """Locale-ish strings map to a supported language; anything else falls back to Indonesian."""
    assert normalise_lang(lang) == expected


def test_t_falls_back_to_indonesian_for_unknown_language() -> None:
    """A language mpp does not have is served in Indonesian."""
    assert t("status.waiting", "fr") == "menunggu"


def test_t_survives_missing_parameters() -> None:
    """A missing placeholder value gives the raw template, not a KeyError."""
    assert t("err.service_not_found", "en") == "Unknown service '{service}' (list: mpp services)."


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_every_action_has_a_name(action: str) -> None:
    """Services build `act.<action>` keys for transition errors; each one exists."""
    assert f"act.{action}" in MESSAGES


def test_every_enum_value_has_a_label() -> None:
    """Statuses, counter states and pause reasons all have catalog labels."""
    missing = [f"status.{s}" for s in TicketStatus if f"status.{s}" not in MESSAGES]
    missing += [f"counter.{s}" for s in CounterState if f"counter.{s}" not in MESSAGES]
    missing += [f"pause.{s}" for s in PauseReason if f"pause.{s}" not in MESSAGES]
    assert missing == []


# Callables whose first argument is a catalog key.
KEY_TAKERS = {
    "t",
    "Act",
    "MppError",
    "NotFound",
    "Conflict",
    "PermissionDenied",
    "AuthError",
    "InvalidInput",
    "ServiceClosed",
    "DatabaseUnavailable",
    "ReferenceDataError",
}


def _keys_used_in(layer: str) -> set[str]:
    """Literal keys passed as first argument to t(), Act() or an error class under `layer`."""
    used: set[str] = set()
    for path in (PACKAGE / layer).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            first = node.args[0]
            if (
                name in KEY_TAKERS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                used.add(first.value)
    return used


@pytest.mark.parametrize("layer", ["domain", "db", "services"])
def test_keys_used_by_the_core_exist(layer: str) -> None:
    """Every literal catalog key used in domain/, db/ and services/ is in the catalog."""
    used = _keys_used_in(layer)
    if layer != "domain":  # the scan itself works: these layers raise translated errors
        assert used
    assert sorted(used - set(MESSAGES)) == []


def test_errors_render_in_both_languages() -> None:
    """An error with an Act parameter translates the act too; ReferenceDataError lists problems."""
    err = Conflict(
        "err.illegal_transition", ticket="A-001", status=Act("status.done"), action=Act("act.call")
    )
    assert err.message("id") == "Tiket A-001 berstatus 'selesai'; tidak bisa memanggil."
    assert err.message("en") == "Ticket A-001 is 'done'; cannot call it."
    assert err.title("en") == "Not possible now"
    ref = ReferenceDataError("err.seed_invalid", ["f.toml: hall.code: bad", "f.toml: x: y"])
    assert ref.message("en").splitlines() == [
        "Invalid reference data:",
        "  f.toml: hall.code: bad",
        "  f.toml: x: y",
    ]

"""The message catalogue, one module per screen or command family that shows the messages.

Each module holds ``MESSAGES: key -> (Indonesian, English)``; :func:`merge` joins them and refuses
a key that two modules define, so moving a message between files can never shadow another one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import ModuleType

from mpp_tui.i18n.catalog import (
    access,
    board,
    cli,
    common,
    counter,
    day,
    daylog,
    devices,
    errors,
    keys,
    kiosk,
    login,
    operations,
    reports,
    simulation,
    states,
    supervisor,
    survey,
)

MODULES: tuple[ModuleType, ...] = (
    errors,
    states,
    common,
    keys,
    login,
    counter,
    daylog,
    kiosk,
    board,
    devices,
    supervisor,
    reports,
    survey,
    access,
    operations,
    day,
    cli,
    simulation,
)


class DuplicateKeyError(ValueError):
    """Two catalogue modules define the same key."""


def merge(parts: Iterable[tuple[str, Mapping[str, tuple[str, str]]]]) -> dict[str, tuple[str, str]]:
    """Join named catalogue parts into one dict.

    Raises:
        DuplicateKeyError: a key is defined by two parts (both are named).
    """
    merged: dict[str, tuple[str, str]] = {}
    owner: dict[str, str] = {}
    for name, messages in parts:
        for key, pair in messages.items():
            if key in owner:
                raise DuplicateKeyError(f"catalogue key {key!r} is in both {owner[key]} and {name}")
            owner[key] = name
            merged[key] = pair
    return merged


def load() -> dict[str, tuple[str, str]]:
    """The whole catalogue, from every module in :data:`MODULES`."""
    return merge((m.__name__.rsplit(".", 1)[-1], m.MESSAGES) for m in MODULES)

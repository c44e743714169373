"""Domain errors: values a user can read, in their language."""

from __future__ import annotations

from mpp_tui.i18n import DEFAULT_LANG, Localised, t


class MppError(Exception):
    """Base of every error a user may see.

    Args:
        key: catalog key of the message (see :mod:`mpp_tui.i18n`).
        **params: values for the message's placeholders.
    """

    title_key = "err.title.conflict"

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message())

    def message(self, lang: str = DEFAULT_LANG) -> str:
        """The message in `lang`."""
        params = {
            name: (value.render(lang) if isinstance(value, Localised) else value)
            for name, value in self.params.items()
        }
        return t(self.key, lang, **params)

    def title(self, lang: str = DEFAULT_LANG) -> str:
        """A short title for notifications."""
        return t(self.title_key, lang)


class Act:
    """A translatable fragment used as an error parameter (an action's name)."""

    def __init__(self, key: str) -> None:
        self.key = key

    def render(self, lang: str) -> str:
        """The fragment in `lang`."""
        return t(self.key, lang)

    def __str__(self) -> str:
        return t(self.key)


class NotFound(MppError):
    """A named thing does not exist."""

    title_key = "err.title.not_found"


class Conflict(MppError):
    """The request is not possible in the current state."""

    title_key = "err.title.conflict"


class PermissionDenied(MppError):
    """The officer's role or counter does not allow it."""

    title_key = "err.title.denied"


class AuthError(MppError):
    """Sign-in failed, the account is locked or disabled."""

    title_key = "err.title.auth"


class InvalidInput(MppError):
    """A value given by the user is malformed."""

    title_key = "err.title.invalid"


class ServiceClosed(MppError):
    """Issuing refused: outside hours or quota reached."""

    title_key = "err.title.closed"


class DatabaseUnavailable(MppError):
    """The database cannot be reached or is not ready."""

    title_key = "err.title.database"


class DatabaseReplaced(MppError):
    """The database was restored from a backup under a running screen (its restore epoch
    changed): what the screen holds no longer matches it; signed-in screens start again."""

    title_key = "err.title.database"

    def __init__(self) -> None:
        super().__init__("err.database_replaced")


class ReferenceDataError(MppError):
    """Reference data (TOML) or config failed validation; carries one line per problem."""

    title_key = "err.title.invalid"

    def __init__(self, key: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(key)

    def message(self, lang: str = DEFAULT_LANG) -> str:
        """The heading and one line per problem."""
        return "\n".join([t(self.key, lang), *(f"  {p}" for p in self.problems)])

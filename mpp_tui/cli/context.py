"""The CLI's per-invocation context: settings, engine, services and output."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console, RenderableType
from rich.errors import MarkupError
from rich.text import Text

from mpp_tui.config import Settings
from mpp_tui.domain.clock import Clock, SystemClock
from mpp_tui.domain.errors import (
    AuthError,
    DatabaseUnavailable,
    InvalidInput,
    MppError,
    PermissionDenied,
    ReferenceDataError,
)
from mpp_tui.domain.names import Name
from mpp_tui.domain.rules import visible
from mpp_tui.domain.views import OfficerView
from mpp_tui.i18n import t

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from mpp_tui.services.facade import Hall
    from mpp_tui.services.officers import Officers

# SQLAlchemy, the migrations and the services are imported when first used: a screen command
# paints before they have loaded (see mpp_tui.cli.screens).


class DataConsole(Console):
    """A Console for output that mixes our styling with data (notes, names, reference data):
    text that is not valid Rich markup ("[/]" in a name) is printed as it is, not an error."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        try:
            return super().render_str(text, **kwargs)
        except MarkupError:
            return super().render_str(text, **{**kwargs, "markup": False})


@dataclass
class Cli:
    """Everything one `mpp` invocation needs; built by the root callback, used by commands."""

    settings: Settings
    json: bool = False
    out: Console = field(default_factory=lambda: DataConsole(highlight=False, soft_wrap=True))
    err: Console = field(
        default_factory=lambda: DataConsole(stderr=True, highlight=False, soft_wrap=True)
    )

    @property
    def lang(self) -> str:
        return self.settings.lang

    def tr(self, key: str, **params: object) -> str:
        """Translate into this invocation's language."""
        return t(key, self.lang, **params)

    # --- database -------------------------------------------------------------------------

    @cached_property
    def engine(self) -> Engine:
        """The engine for the configured URL (nothing is connected yet)."""
        return self._make_engine(create=True)

    def _make_engine(self, *, create: bool) -> Engine:
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError

        from mpp_tui.db.engine import make_engine, normalise_url, safe_url, sqlite_on_network_share

        raw = self.settings.resolved_database_url()
        try:
            url = normalise_url(raw)
            if url.get_backend_name() == "sqlite":
                fstype = sqlite_on_network_share(url)
                if fstype is not None:
                    raise DatabaseUnavailable(
                        "err.db_unreachable",
                        url=safe_url(url),
                        reason=f"SQLite on a network share ({fstype}) corrupts; use PostgreSQL",
                    )
                path = url.database or ""
                if path not in ("", ":memory:"):
                    folder = Path(path).parent
                    if self.settings.database_url is None:
                        folder.mkdir(parents=True, exist_ok=True)  # the embedded default
                    elif not folder.is_dir():  # a typo must not become a new database
                        raise DatabaseUnavailable("err.db_dir_missing", path=str(folder))
                    if not create and not Path(path).exists():
                        raise DatabaseUnavailable("err.db_missing", path=path)
                    _create_private(Path(path))
            return make_engine(url.render_as_string(hide_password=False))
        except OSError as exc:
            raise DatabaseUnavailable(
                "err.db_unreachable",
                url=_shown_url(raw),
                reason=str(exc)[:120],
            ) from None
        except (ArgumentError, NoSuchModuleError, ImportError, ValueError) as exc:
            reason = str(exc).splitlines()[0][:120]
            raise InvalidInput("err.db_url_invalid", url=_shown_url(raw), reason=reason) from None

    def reachable_engine(self) -> Engine:
        """The engine, after checking the database answers."""
        from mpp_tui.db.engine import safe_url

        engine = self.engine
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        except Exception as exc:  # any driver failure means "cannot reach"
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise DatabaseUnavailable(
                "err.db_unreachable", url=safe_url(engine.url), reason=reason
            ) from exc
        return engine

    @cached_property
    def ready(self) -> Engine:
        """The engine, after checking the database answers and its schema is at head."""
        from mpp_tui.db.migrate import SCHEMA_HEAD, schema_revision

        if "engine" not in self.__dict__:
            self.__dict__["engine"] = self._make_engine(create=False)
        engine = self.reachable_engine()
        if schema_revision(engine) != SCHEMA_HEAD:
            raise DatabaseUnavailable("err.schema_outdated")
        return engine

    @cached_property
    def clock(self) -> Clock:
        """This PC's clock set to the database server's: on PostgreSQL every PC stamps events
        with the server's time (measured once, at start), so waits and service times measured
        across PCs agree even when a PC's own clock is off. SQLite has one clock: this PC's.
        While `mpp simulate` plays at a live speed, the simulated day's clock."""
        from mpp_tui.db.engine import server_clock_skew
        from mpp_tui.services.simclock import watching_clock

        with self.ready.connect() as conn:
            skew = server_clock_skew(conn)
        server = SystemClock(timedelta(seconds=-(skew or 0.0)))
        # A simulation playing at a live speed: tell its time, as the tickets do.
        return watching_clock(self.ready, self.settings.hall, server) or server

    @cached_property
    def hall(self) -> Hall:
        from mpp_tui.services.facade import Hall

        return Hall(self.ready, hall=self.settings.hall, clock=self.clock)

    @property
    def officers(self) -> Officers:
        """The hall's officer accounts (sign-in, `mpp user …`)."""
        return self.hall.officers

    def name(self, indonesian: str, english: str) -> str:
        """A reference-data name in this invocation's language."""
        return Name(indonesian, english).pick(self.lang)

    def counter_code(self, given: str | None) -> str:
        """The counter named on the command line, else this PC's configured counter."""
        code = given or self.settings.counter
        if not code:
            raise InvalidInput("err.counter_required")
        return code

    def sign_in(self, username: str) -> OfficerView:
        """Authenticate `username` with the PIN from MPP_PIN or an interactive prompt."""
        pin = os.environ.get("MPP_PIN")
        if pin is None:
            if not sys.stdin.isatty():
                raise AuthError("err.pin_required")
            pin = typer.prompt(self.tr("cli.pin_prompt"), hide_input=True)
        return self.officers.authenticate(username=username, pin=pin)

    def acting(self, by: str | None) -> str:
        """`acting_in` this invocation's hall."""
        return self.acting_in(self.hall, by)

    def acting_in(self, hall: Hall, by: str | None) -> str:
        """Sign in the officer doing an admin action and return their username.

        The username comes from `--by` or MPP_BY, else a prompt; the PIN from MPP_BY_PIN, else
        a masked prompt (never the command line). Which role the action needs is checked by
        the service the username is then passed to.
        """
        if not hall.officers.admins():
            raise PermissionDenied("err.no_admin_yet")
        name = by or os.environ.get("MPP_BY")
        interactive = sys.stdin.isatty()
        if not name:
            if not interactive:
                raise AuthError("err.by_required")
            name = str(typer.prompt(self.tr("cli.by_prompt")))
        pin = os.environ.get("MPP_BY_PIN")
        if pin is None:
            if not interactive:
                raise AuthError("err.by_pin_required", officer=visible(name[:32]))
            pin = str(typer.prompt(self.tr("cli.by_pin_prompt", officer=name), hide_input=True))
        return hall.officers.authenticate(username=name, pin=pin).username

    # --- output ---------------------------------------------------------------------------

    def emit(self, data: Any, text: RenderableType | None = None, *, ok: bool = True) -> None:
        """Print `data` as JSON with --json, else `text` (a line or a Rich table)."""
        if self.json:
            payload = {"ok": ok, **data}
            self.out.print_json(json.dumps(payload, ensure_ascii=False, default=str))
        elif isinstance(text, str):  # data (notes, names) is never Rich markup
            self.out.print(text, markup=False)
        elif text is not None:
            self.out.print(text)

    def fail(self, error: MppError) -> None:
        """Report an error: one clear line (or a JSON object with --json)."""
        if self.json:
            payload = {
                "ok": False,
                "error": {
                    "code": error.key,
                    "title": error.title(self.lang),
                    "message": error.message(self.lang),
                },
            }
            self.out.print_json(json.dumps(payload, ensure_ascii=False))
        else:
            title = Text(f"{error.title(self.lang)}:", style="bold red")
            self.err.print(Text.assemble(title, " ", shown_message(error, self.lang)))


def _create_private(path: Path) -> None:
    """Create a new SQLite file readable and writable by this user only (0600): whoever can
    write it is admin, whoever can read it reads the PIN hashes (docs/security.md). SQLite
    gives its -wal and -shm files the database file's mode."""
    if path.exists() or not path.parent.is_dir():
        return
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def _shown_url(raw: str) -> str:
    """A database URL for a message, password hidden; one that cannot be parsed is shown by
    its scheme only (where its password is cannot be known)."""
    from sqlalchemy.exc import ArgumentError

    from mpp_tui.db.engine import safe_url

    if "://" not in raw:
        return visible(raw[:60])  # typed text: no control codes, no lone surrogates
    try:
        return visible(safe_url(raw))
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        return visible(raw.split("://", 1)[0][:20]) + "://…"


def shown_message(error: MppError, lang: str) -> str:
    """An error's message for a terminal or a log line: what the user typed is echoed with its
    control characters written out, so an error is one line (a reference-data error: its
    heading and one line per problem) and cannot move the cursor or clear the screen."""
    if isinstance(error, ReferenceDataError):
        lines = error.message(lang).split("\n", 1)[:1] + [visible(p) for p in error.problems]
        return "\n  ".join(lines)
    return visible(error.message(lang))


def get_cli(ctx: typer.Context, json_out: bool = False) -> Cli:
    """The Cli of this invocation, switching JSON output on when asked."""
    cli: Cli = ctx.find_root().obj
    if json_out:
        cli.json = True
    return cli


COUNTER = typer.Option(
    None, "--counter", help="Counter code, e.g. L01 (default: MPP_COUNTER or the config file)."
)
OFFICER = typer.Option(..., "--officer", help="Officer username (PIN from MPP_PIN or a prompt).")
BY = typer.Option(
    None,
    "--by",
    help="Your username, for an action that needs an admin (or a supervisor); default MPP_BY "
    "or a prompt. The PIN comes from MPP_BY_PIN or a masked prompt.",
)
JSON_OPTION = typer.Option(
    False, "--json", help="Print a JSON object instead of text (stable keys)."
)


def signed_in_at_counter(
    ctx: typer.Context, counter: str | None, officer: str, json_out: bool
) -> tuple[Cli, str]:
    """The common start of a counter command: resolve the counter, check the officer's PIN."""
    cli = get_cli(ctx, json_out)
    code = cli.counter_code(counter)
    cli.sign_in(officer)
    return cli, code

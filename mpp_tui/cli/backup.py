"""`mpp backup` and `mpp restore`: verified copies of the embedded SQLite database."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from mpp_tui.cli.context import BY, JSON_OPTION, Cli, get_cli
from mpp_tui.domain.errors import Conflict, InvalidInput, MppError
from mpp_tui.i18n import formats

if TYPE_CHECKING:
    from mpp_tui.db.backup import DatabaseCheck

log = logging.getLogger(__name__)


def _sqlite_file(cli: Cli, refusal: str) -> Path:
    """The configured database's file; PostgreSQL is refused with `refusal` (pg_dump's way)."""
    from mpp_tui.db.engine import normalise_url

    url = normalise_url(cli.settings.resolved_database_url())
    if url.get_backend_name() != "sqlite":
        raise InvalidInput(refusal)
    if url.database in (None, "", ":memory:"):
        raise InvalidInput("err.backup_memory")
    return Path(url.database)


def _rows_table(cli: Cli, check: DatabaseCheck) -> Table:
    table = Table(title_justify="left", box=None, pad_edge=False)
    table.add_column(cli.tr("backup.col.table"))
    table.add_column(cli.tr("backup.col.rows"), justify="right")
    for name, count in check.rows.items():
        table.add_row(name, formats(cli.lang).integer(count))
    return table


def _check_json(check: DatabaseCheck) -> dict[str, object]:
    return {
        "path": str(check.path),
        "revision": check.revision,
        "at_head": check.at_head,
        "bytes": check.size,
        "integrity": "ok",
        "rows": check.rows,
    }


def backup_cmd(
    ctx: typer.Context,
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="Backup file to write (default: backups/mpp-DATE-TIME.sqlite next to the database).",
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Copy the SQLite database while counters keep working, then verify the copy."""
    from mpp_tui.db.backup import backup, default_backup_path

    cli = get_cli(ctx, json_out)
    database = _sqlite_file(cli, "err.backup_postgres")
    target = output or default_backup_path(database)
    if output is None:
        target.parent.mkdir(parents=True, exist_ok=True)
    check = backup(database, target)
    if cli.json:
        cli.emit({"backup": _check_json(check)})
        return
    cli.out.print(
        cli.tr(
            "cli.backup_done",
            path=check.path,
            size=formats(cli.lang).integer(check.size),
            revision=check.revision,
        ),
        markup=False,
    )
    cli.out.print(_rows_table(cli, check))
    _old_schema_note(cli, check)


def restore_cmd(
    ctx: typer.Context,
    source: Path = typer.Argument(..., help="A backup written by `mpp backup`."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    force: bool = typer.Option(
        False, "--force", help="Restore even while counter screens are signed in and live."
    ),
    by: str | None = BY,
    json_out: bool = JSON_OPTION,
) -> None:
    """Replace the SQLite database with a backup; the replaced database is kept beside it.

    Needs the hall's admin (`--by`) when the database has one; refused while counter screens
    are live unless --force (those screens then return to sign-in)."""
    from mpp_tui.db.backup import live_counters, restore, verify

    cli = get_cli(ctx, json_out)
    database = _sqlite_file(cli, "err.restore_postgres")
    check = verify(source)  # a foreign or damaged file is refused before anything is asked
    actor = _restore_actor(cli, database, by)
    live = live_counters(database) if database.exists() else []
    if live and not force:
        raise Conflict("err.restore_screens_live", counters=", ".join(live[:8]), n=len(live))
    if not yes:
        _confirm(cli, check, database)
    done = restore(source, database)
    _audit_restore(cli, source, actor, live)
    now = done.database
    if cli.json:
        side = str(done.side_copy) if done.side_copy else None
        cli.emit({"restored": _check_json(now), "source": str(source), "side_copy": side})
        return
    tickets = now.rows.get("ticket", 0)
    cli.out.print(
        cli.tr("cli.restore_done", target=database, source=source, revision=now.revision)
        + " "
        + cli.tr("cli.restore_tickets", n=tickets),
        markup=False,
    )
    if done.side_copy is not None:
        cli.out.print(cli.tr("cli.restore_side_copy", path=done.side_copy), markup=False)
    _old_schema_note(cli, now)


def _restore_actor(cli: Cli, database: Path, by: str | None) -> str | None:
    """The admin who restores: asked for when the current database has an admin (a database
    that cannot be read, the thing a restore repairs, asks for none)."""
    if not database.exists():
        return None
    try:
        has_admin = cli.hall.officers.admins() > 0
    except MppError:  # damaged, foreign or outdated: nobody can sign in to it
        return None
    return cli.acting(by) if has_admin else None


def _audit_restore(cli: Cli, source: Path, actor: str | None, live: list[str]) -> None:
    """Write the restore into the restored database's audit log (when its schema has one)."""
    from mpp_tui.db.engine import make_engine
    from mpp_tui.services.facade import Hall

    engine = make_engine(str(cli.engine.url))
    try:
        hall = Hall(engine, hall=cli.settings.hall)
        known = actor if actor and actor in {v.username for v in hall.officers.list()} else None
        hall.audit.note(
            action="backup.restore",
            target=source.name,
            by=known,
            after={"source": str(source), "by": actor or "", "live_counters": live},
        )
    except MppError as exc:  # an older schema has no audit log; the restore itself stands
        log.info("restore not audited: %s", exc.key)
    except Exception:  # the restore is done; the log keeps why it was not audited
        log.warning("restore not audited", exc_info=True)
    finally:
        engine.dispose()


def _confirm(cli: Cli, check: DatabaseCheck, database: Path) -> None:
    """Ask before replacing the database; without a terminal, --yes is required."""
    if cli.json or not sys.stdin.isatty():
        raise InvalidInput("err.restore_needs_yes")
    current: int | str = "—"
    if database.exists():
        from mpp_tui.db.backup import verify

        try:
            current = verify(database, integrity=False).rows.get("ticket", 0)
        except InvalidInput:
            current = "?"
    question = cli.tr(
        "cli.restore_confirm",
        target=database,
        now=current,
        source=check.path,
        then=check.rows.get("ticket", 0),
        revision=check.revision,
    )
    if not typer.confirm(question, default=False):
        raise Conflict("err.restore_cancelled")


def _old_schema_note(cli: Cli, check: DatabaseCheck) -> None:
    if not check.at_head:
        cli.out.print(cli.tr("cli.backup_old_schema", revision=check.revision), markup=False)


def register(root: typer.Typer) -> None:
    """Add `mpp backup` and `mpp restore`."""
    root.command("backup")(backup_cmd)
    root.command("restore")(restore_cmd)


__all__ = ["register"]

"""`mpp init`, `mpp doctor` and `mpp demo`."""

from __future__ import annotations

import platform
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from mpp_tui import __version__
from mpp_tui.cli import doctor_deep
from mpp_tui.cli.context import BY, JSON_OPTION, Cli, get_cli
from mpp_tui.cli.render import counters_table, services_table
from mpp_tui.config import (
    data_dir,
    default_config_file,
    exposed_secret_mode,
    mask_password,
    sqlite_url,
)
from mpp_tui.domain.errors import InvalidInput, PermissionDenied

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from mpp_tui.services.facade import Hall

# The database layer is imported inside the commands that use it: importing it costs about a
# second, and `mpp counter` must paint its first screen before that.

SKEW_WARN_S = 5.0


def init(
    ctx: typer.Context,
    seed: Path | None = typer.Option(
        None, "--seed", help="Reference-data TOML (default: MPP Kotim)."
    ),
    first_admin: str | None = typer.Option(
        None,
        "--admin",
        help="Username of the hall's first admin, made when it has none (PIN from MPP_PIN or "
        "typed twice). Asked for at a terminal.",
    ),
    by: str | None = BY,
    json_out: bool = JSON_OPTION,
) -> None:
    """Create or upgrade the schema and load reference data (safe to run again).

    Once the hall has an admin, reloading its reference data needs that admin (`--by`)."""
    from mpp_tui.db.migrate import upgrade
    from mpp_tui.db.seed import default_seed_file, load_seed, read_seed
    from mpp_tui.services.facade import Hall

    cli = get_cli(ctx, json_out)
    spec = read_seed(seed or default_seed_file())  # validate before touching the database
    with _owner_needed(cli):
        revision = upgrade(cli.reachable_engine())
        hall = Hall(cli.engine, hall=spec.hall.code) if _hall_exists(cli, spec.hall.code) else None
        actor = cli.acting_in(hall, by) if hall is not None and hall.officers.admins() else None
        counts = load_seed(cli.engine, spec)
        hall = hall or Hall(cli.engine, hall=spec.hall.code)
        hall.ctx.reference_changed()
        hall.audit.note(
            action="reference.load", target=spec.hall.code, by=actor, after=dict(counts)
        )
        admins = hall.officers.admins()
        made = None if admins else _first_admin(cli, hall, first_admin)
        admins = admins or (1 if made else 0)
    text = cli.tr("cli.init_done", revision=revision, hall=spec.hall.short_name, **counts)
    if made:
        text += " " + cli.tr("cli.first_admin_made", officer=made)
    cli.emit({"revision": revision, "hall": spec.hall.code, **counts, "admins": admins}, text)


def _hall_exists(cli: Cli, code: str) -> bool:
    from sqlalchemy import select

    from mpp_tui.db.tables import HALL

    with cli.engine.connect() as conn:
        return conn.execute(select(HALL.c.id).where(HALL.c.code == code)).first() is not None


def _first_admin(cli: Cli, hall: Hall, username: str | None) -> str | None:
    """Make the hall's first admin when asked (`--admin`) or at a terminal and return its
    username; None when neither (`mpp doctor` then warns that the hall has no admin)."""
    from mpp_tui.cli.users import new_pin

    if username is None:
        if not sys.stdin.isatty():
            return None
        username = str(typer.prompt(cli.tr("cli.first_admin_prompt"), default="admin"))
    view = hall.officers.add(username=username, pin=new_pin(cli, username), role="admin")
    hall.audit.note(
        action="officer.first_admin", target=view.username, by=None, after={"role": "admin"}
    )
    return view.username


@contextmanager
def _owner_needed(cli: Cli, key: str = "err.init_needs_owner") -> Iterator[None]:
    """Turn "permission denied" while migrating or loading reference data into one clear line:
    on PostgreSQL the daily role may not change the schema (docs/deployment.md)."""
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) != "42501":  # insufficient_privilege
            raise
        reason = str(exc.orig).strip().splitlines()[0][:160]
        raise PermissionDenied(key, user=cli.engine.url.username or "?", reason=reason) from None


Check = tuple[str, str, str]
"""One line of `mpp doctor`: (name, level `ok`/`warn`/`fail`, detail)."""
_LEVEL_MARK = {"ok": "[green]OK[/]", "warn": "[yellow]![/]", "fail": "[red]!![/]"}


def doctor(
    ctx: typer.Context,
    deep: bool = typer.Option(
        False,
        "--deep",
        help="Also check every ticket of the day (read-only): none held by two counters, one "
        "per counter, numbers 1..N per prefix, event logs that replay to each ticket.",
    ),
    day: str | None = typer.Option(
        None, "--date", help="Last business day --deep checks, YYYY-MM-DD (default today)."
    ),
    days: int | None = typer.Option(
        None,
        "--days",
        min=1,
        max=doctor_deep.MAX_DAYS,
        help="How many business days --deep checks, ending at --date (default 1).",
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Check the database, schema, hall, time and files; exit 1 when something is wrong
    (a warning, such as a skewed clock or a readable password file, keeps exit code 0).
    With --deep (implied by --date or --days), also the invariants of the day's tickets."""
    from sqlalchemy.exc import ArgumentError

    from mpp_tui.db.engine import normalise_url, safe_url, sqlite_on_network_share

    cli = get_cli(ctx, json_out)
    last = doctor_deep.parse_day(day)
    deep = deep or day is not None or days is not None
    checks: list[Check] = []
    raw = cli.settings.resolved_database_url()
    config = cli.settings.config_file or default_config_file()
    checks.append(("version", "ok", f"mpp-tui {__version__}, Python {platform.python_version()}"))
    checks.append(
        ("config", "ok", f"{config} ({'found' if config.exists() else 'none; defaults used'})")
    )
    mode = exposed_secret_mode(cli.settings.config_file)
    if mode is not None:
        warning = cli.tr("cfg.warn.loose_permissions", path=config, mode=mode)
        checks.append(("config secret", "warn", warning))
    try:
        url = normalise_url(raw)
    except (ArgumentError, ValueError) as exc:
        reason = str(exc).splitlines()[0][:120].replace(raw, mask_password(raw))
        checks.append(("database", "fail", f"{mask_password(raw)}: {reason}"))
        _doctor_report(cli, checks)
        return
    checks.append(("database", "ok", safe_url(url)))
    if url.get_backend_name() == "sqlite":
        fstype = sqlite_on_network_share(url)
        checks.append(
            (
                "embedded",
                "ok" if fstype is None else "fail",
                f"{url.database}"
                + (f" — ON A NETWORK SHARE ({fstype}): use PostgreSQL" if fstype else ""),
            )
        )
    checks.append(("log", "ok", str(cli.settings.resolved_log_file())))
    if not _doctor_database(cli, checks) or not deep:
        _doctor_report(cli, checks)
        return
    found = doctor_deep.deep_check(cli, last=last, days=days or 1)
    _doctor_report(cli, checks + found.checks, found.as_json())


def _doctor_report(cli: Cli, checks: list[Check], extra: dict[str, Any] | None = None) -> None:
    """Print the checks (table or JSON); exit 1 when one failed."""
    table = Table(title=cli.tr("title.doctor"), title_justify="left")
    table.add_column(cli.tr("col.check"))
    table.add_column("")
    table.add_column(cli.tr("col.result"))
    for name, level, detail in checks:
        table.add_row(name, _LEVEL_MARK[level], detail)
    healthy = all(level != "fail" for _, level, _ in checks)
    cli.emit(
        {
            "healthy": healthy,
            "checks": [
                {"name": n, "ok": level != "fail", "level": level, "detail": d}
                for n, level, d in checks
            ],
            **(extra or {}),
        },
        table,
        ok=healthy,
    )
    if not healthy:
        raise typer.Exit(1)


def _doctor_database(cli: Cli, checks: list[Check]) -> bool:
    """Reachability, the clock against the server, the schema, the halls and the time zone."""
    from sqlalchemy import select, text

    from mpp_tui.db.engine import safe_url
    from mpp_tui.db.migrate import current_revision, head_revision
    from mpp_tui.db.tables import HALL
    from mpp_tui.services.facade import Hall

    try:
        engine = cli.engine
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            skew = _clock_skew(conn)
        checks.append(("reachable", "ok", engine.dialect.name))
    except Exception as exc:  # any failure to connect is reported, never raised
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raw = cli.settings.resolved_database_url()
        reason = reason.replace(raw, mask_password(raw))
        if "engine" in cli.__dict__:
            reason = reason.replace(
                cli.engine.url.render_as_string(hide_password=False), safe_url(cli.engine.url)
            )
        checks.append(("reachable", "fail", reason))
        return False
    checks.append(_clock_check(cli, skew))
    revision = current_revision(engine)
    head = head_revision()
    checks.append(
        (
            "schema",
            "ok" if revision == head else "fail",
            f"{revision or 'empty'} (head {head})"
            + ("" if revision == head else " — run `mpp init`"),
        )
    )
    if revision != head:
        return False
    with engine.connect() as conn:
        halls = conn.execute(select(HALL.c.code, HALL.c.timezone)).all()
    checks.append(
        (
            "halls",
            "ok" if halls else "fail",
            ", ".join(f"{c} ({tz})" for c, tz in halls) or "none — run `mpp init`",
        )
    )
    if halls:
        q = Hall(engine, hall=cli.settings.hall)
        try:
            local = q.now().astimezone(q.ref().tz)
            checks.append(("time zone", "ok", f"{q.ref().tz.key}: {local:%Y-%m-%d %H:%M %Z}"))
            admins = q.officers.admins()
            checks.append(
                ("admin", "ok", f"{admins} enabled")
                if admins
                else ("admin", "warn", "none yet — run `mpp init --admin NAME`")
            )
        except Exception as exc:  # e.g. several halls and none chosen
            checks.append(("time zone", "fail", str(exc)))
    file_check = _sqlite_file_check(engine)
    if file_check is not None:
        checks.append(file_check)
    return True


def _sqlite_file_check(engine: Engine) -> Check | None:
    """SQLite has no roles: whoever can write the file is admin, and whoever can read it reads
    every PIN hash. Warn when users other than the owner may read or write it."""
    import os
    import stat

    if engine.dialect.name != "sqlite" or not engine.url.database or os.name != "posix":
        return None
    path = Path(engine.url.database)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None
    if mode & 0o077 & ~0o040:  # group read (0640) is allowed; anything more is not
        return ("database file", "warn", f"{path} is mode {mode:04o}: run `chmod 600 {path}`")
    return ("database file", "ok", f"{path} mode {mode:04o}")


def _clock_skew(conn: Connection) -> float | None:
    """Seconds this PC's clock is ahead of the database server's (None: SQLite)."""
    from mpp_tui.db.engine import server_clock_skew

    return server_clock_skew(conn)


def _clock_check(cli: Cli, skew: float | None) -> Check:
    """The `clock` line: the skew against the server, a warning above SKEW_WARN_S."""
    if skew is None:
        return ("clock", "ok", cli.tr("doctor.clock_sqlite", now=f"{datetime.now(UTC):%H:%M:%S}"))
    shown, limit = f"{skew:+.2f}", f"{SKEW_WARN_S:g}"
    if abs(skew) > SKEW_WARN_S:
        return ("clock", "warn", cli.tr("doctor.clock_skewed", skew=shown, limit=limit))
    return ("clock", "ok", cli.tr("doctor.clock_ok", skew=shown, limit=limit))


def demo(
    ctx: typer.Context,
    reset: bool = typer.Option(False, "--reset", help="Start again from an empty demo database."),
    no_screen: bool = typer.Option(
        False, "--no-screen", help="Only set up and print the summary; do not open the screen."
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Set up the demo hall (MPP Kotim, demo officers, a morning of tickets) and open the
    counter screen at L01 as petugas1, with visitors arriving and a robot officer at L02."""
    from mpp_tui.db.engine import make_engine
    from mpp_tui.services.demo import prepare_demo

    cli = get_cli(ctx, json_out)
    path = data_dir() / "demo.sqlite"
    if reset:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(sqlite_url(path))
    prepare_demo(engine, now=datetime.now(UTC))
    if cli.json or no_screen or not (sys.stdin.isatty() and sys.stdout.isatty()):
        _demo_summary(cli, engine, path)
        return
    _demo_screen(cli, engine, path)


def _demo_screen(cli: Cli, engine: Engine, path: Path) -> None:
    from mpp_tui.cli.screens import run_counter
    from mpp_tui.services.demo import DEMO_OFFICERS, DemoActivity
    from mpp_tui.services.facade import Hall

    demo_cli = Cli(settings=cli.settings.model_copy(update={"database_url": sqlite_url(path)}))
    officer = DEMO_OFFICERS[0]
    queue = Hall(engine)
    queue.sessions.open_counter(counter="L01", officer=officer.username)
    view = next(o for o in demo_cli.officers.list() if o.username == officer.username)
    activity = DemoActivity(engine)
    activity.start()
    try:
        run_counter(demo_cli, "L01", signed_in=view)
    finally:
        activity.stop()
    cli.out.print(cli.tr("cli.demo_after", path=path), markup=False)


def _demo_summary(cli: Cli, engine: Engine, path: Path) -> None:
    from mpp_tui.services.demo import DEMO_OFFICERS
    from mpp_tui.services.facade import Hall

    q = Hall(engine)
    counters = q.tickets.counters()
    loads = [s for s in q.tickets.service_loads() if s.waiting or s.issued_today]
    officers = [{"username": o.username, "pin": o.pin, "role": o.role.value} for o in DEMO_OFFICERS]
    if cli.json:
        cli.emit(
            {
                "database": str(path),
                "officers": officers,
                "counters": [c.to_json() for c in counters],
                "services": [s.to_json() for s in loads],
            }
        )
        return
    out = cli.out
    out.print(cli.tr("cli.demo_ready", path=path))
    out.print(counters_table(counters, q.now(), cli.lang))
    out.print(services_table(loads, cli.lang))
    who = ", ".join(f"{o['username']}/{o['pin']} ({o['role']})" for o in officers)
    db = f"--db {sqlite_url(path)}"
    out.print(
        "\n".join(
            [
                cli.tr("cli.demo_officers", who=who),
                cli.tr("cli.demo_next"),
                f"  uv run mpp {db} counter --counter L02   # {cli.tr('cli.demo_screen_hint')}",
                f"  uv run mpp {db} board --voice           # {cli.tr('cli.demo_board_hint')}",
                f"  uv run mpp {db} kiosk                   # {cli.tr('cli.demo_kiosk_hint')}",
                f"  export MPP_DATABASE_URL={sqlite_url(path)}",
                "  MPP_PIN=4821 uv run mpp call next --counter L01 --officer petugas1",
                "  uv run mpp ticket issue KTP --priority lansia",
                "  MPP_PIN=7305 uv run mpp ticket issue KTP --override-by spv   # outside hours",
                f"  uv run mpp {db} status",
            ]
        ),
        markup=False,
    )


def grant(
    ctx: typer.Context,
    role: str = typer.Argument(..., help="The daily database role, e.g. mpp_app."),
    by: str | None = BY,
    json_out: bool = JSON_OPTION,
) -> None:
    """PostgreSQL: give a daily role exactly the hall's daily work (run as the owner).

    Run again after every upgrade (it starts from nothing). The role then sees only this hall's
    rows (row-level security); see docs/security.md."""
    from sqlalchemy import text

    from mpp_tui.db.engine import write_tx
    from mpp_tui.db.roles import ROLE_NAME, grant_daily, role_exists

    cli = get_cli(ctx, json_out)
    if cli.engine.dialect.name != "postgresql":
        raise InvalidInput("err.grant_needs_postgres")
    if not ROLE_NAME.fullmatch(role):
        raise InvalidInput("err.role_name_invalid", role=role[:63])
    actor = cli.acting(by)
    hall = cli.hall
    with _owner_needed(cli, "err.needs_owner"), write_tx(cli.ready) as conn:
        if not role_exists(conn, role):
            raise InvalidInput("err.role_missing", role=role)
        current = conn.execute(text("SELECT current_user")).scalar_one()
        if current == role:
            raise InvalidInput("err.role_is_self", role=role)
        grant_daily(conn, role=role, hall_id=hall.ref().hall_id)
    hall.audit.note(action="db.grant", target=role, by=actor, after={"hall": hall.ref().hall_code})
    cli.emit(
        {"role": role, "hall": hall.ref().hall_code},
        cli.tr("cli.granted", role=role, hall=hall.ref().hall_code),
    )


def audit(
    ctx: typer.Context,
    since: str | None = typer.Option(None, "--since", help="From this day, YYYY-MM-DD."),
    until: str | None = typer.Option(None, "--until", help="Up to this day, YYYY-MM-DD."),
    action: str | None = typer.Option(
        None, "--action", help="Only actions starting with this, e.g. officer or day.close."
    ),
    limit: int = typer.Option(200, "--limit", min=1, max=100_000, help="At most this many."),
    json_out: bool = JSON_OPTION,
) -> None:
    """The audit log: every admin action, newest first (needs the owner's credential on
    PostgreSQL)."""
    cli = get_cli(ctx, json_out)
    days = []
    for value in (since, until):
        try:
            days.append(date.fromisoformat(value) if value else None)
        except ValueError:
            raise InvalidInput("err.date_invalid", value=value[:20] if value else "") from None
    with _owner_needed(cli, "err.needs_owner"):
        entries = cli.hall.audit.entries(since=days[0], until=days[1], action=action, limit=limit)
    tz = cli.hall.ref().tz
    table = Table(box=None, padding=(0, 1), show_edge=False)
    table.add_column(cli.tr("col.when"), no_wrap=True)
    table.add_column(cli.tr("col.officer"), no_wrap=True)
    table.add_column(cli.tr("col.action"), no_wrap=True)
    table.add_column(cli.tr("col.target"))
    table.add_column(cli.tr("col.host"))
    table.add_column(cli.tr("col.change"), ratio=1)
    for e in entries:
        where = e.host if e.client_addr in ("local", e.host) else f"{e.host} ({e.client_addr})"
        table.add_row(
            e.at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            e.actor or cli.tr("word.owner"),
            e.action,
            e.target,
            where,
            _change_text(e.before, e.after),
        )
    cli.emit({"entries": [e.to_json() for e in entries]}, table)


def _change_text(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """What an audit entry changed, short: `role=admin` for a new value, `active: True→False`."""
    old = before or {}
    parts = []
    for key, value in (after or {}).items():
        if key not in old:
            parts.append(f"{key}={value}")
        elif old[key] != value:
            parts.append(f"{key}: {old[key]}→{value}")
    return ", ".join(parts)


def register(root: typer.Typer) -> None:
    """Add the top-level admin commands."""
    root.command("init")(init)
    root.command("grant")(grant)
    root.command("audit")(audit)
    root.command("doctor")(doctor)
    root.command("demo")(demo)


__all__ = ["register"]

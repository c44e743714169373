"""A counter PC's credential in the wrong hands (PostgreSQL, issue 15; docs/security.md).

A deployment made as docs/deployment.md says (the guide's roles, `mpp init --admin`, `mpp
grant`), with two halls on one server. Every attack runs with the daily role of hall KOTIM and
must be refused by the database itself AND leave every table as it was (read as the superuser).
SQLite has no roles: whoever can write the file is admin (docs/security.md), so these attacks
apply to PostgreSQL only; the service-level checks they share are in test_access_matrix.py.
"""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest
from sqlalchemy import MetaData, select
from typer.testing import CliRunner

from mpp_tui.cli.main import app as cli_app
from mpp_tui.db.engine import make_engine
from mpp_tui.db.roles import daily_grants
from mpp_tui.domain.errors import AuthError
from mpp_tui.services.facade import Hall
from mpp_tui.services.officers import _argon2_with
from tests.conftest import ADMIN_PIN, FAST_HASHER, OPERATOR_PIN, pg_url_for
from tests.services.test_append_only import Deployment, deployment

__all__ = ["deployment"]  # the fixture, shared with test_append_only

UJI_SEED = """
[hall]
code = "UJI"
name = "Mal Pelayanan Publik Uji"
short_name = "MPP Uji"
[hall.hours]
mon = ["00:00-24:00"]
tue = ["00:00-24:00"]
wed = ["00:00-24:00"]
thu = ["00:00-24:00"]
fri = ["00:00-24:00"]
sat = ["00:00-24:00"]
sun = ["00:00-24:00"]
[[priority_categories]]
code = "lansia"
name = "Lansia"
[[outcomes]]
code = "selesai"
name = "Selesai"
[[agencies]]
code = "UJI"
name = "Instansi Uji"
short_name = "Uji"
  [[agencies.services]]
  code = "BUKA"
  name = "Layanan Buka"
  prefix = "B"
  max_minutes = 10
[[counters]]
code = "U01"
name = "Loket Uji"
services = ["BUKA"]
"""


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, as the superuser sees them (row-level security aside)."""
    engine = make_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as conn:
            return {
                name: sorted(map(tuple, conn.execute(select(table)).all()), key=repr)
                for name, table in meta.tables.items()
            }
    finally:
        engine.dispose()


class World:
    """The two-hall deployment: KOTIM's daily role is the attacker."""

    def __init__(self, dep: Deployment, tmp_seed: str) -> None:
        self.dep = dep
        self.owner = dep.url(dep.owner)
        self.app = dep.url(dep.app)
        self.superuser = pg_url_for(dep.database)
        runner = CliRunner()
        for args in (
            ["--db", self.owner, "init", "--admin", "admin"],
            ["--db", self.owner, "init", "--seed", tmp_seed, "--admin", "admin"],
        ):
            done = runner.invoke(cli_app, args, env={"MPP_PIN": ADMIN_PIN})
            assert done.exit_code == 0, done.output
        done = runner.invoke(
            cli_app,
            ["--db", self.owner, "--hall", "KOTIM", "grant", dep.app, "--by", "admin"],
            env={"MPP_BY_PIN": ADMIN_PIN},
        )
        assert done.exit_code == 0, done.output
        engine = make_engine(self.owner)
        try:
            kotim = Hall(engine, hall="KOTIM", hasher=FAST_HASHER)
            kotim.officers.add(username="budi", pin=OPERATOR_PIN)
            uji = Hall(engine, hall="UJI", hasher=FAST_HASHER)
            uji.officers.add(username="budi", pin=OPERATOR_PIN)
            uji.issuing.issue_ticket(service="BUKA")
            self.uji_id = uji.ref().hall_id
            self.kotim_id = kotim.ref().hall_id
        finally:
            engine.dispose()

    def attack(self, sql: str, **params: Any) -> psycopg.Error:
        """Run `sql` as KOTIM's daily role; return the database's refusal."""
        conn = psycopg.connect(self.app, autocommit=True)
        try:
            with pytest.raises(psycopg.Error) as err:
                conn.execute(sql, params)  # type: ignore[arg-type]
        finally:
            conn.close()
        return err.value


@pytest.fixture
def world(deployment: Deployment, tmp_path: Any) -> World:
    seed = tmp_path / "uji.toml"
    seed.write_text(UJI_SEED, encoding="utf-8")
    return World(deployment, str(seed))


ATTACKS = {
    "create an admin": "INSERT INTO officer (hall_id, username, role, pin_hash, active, "
    "failed_attempts) VALUES (1, 'evil', 'admin', 'x', true, 0)",
    "promote an officer": "UPDATE officer SET role = 'admin' WHERE username = 'budi'",
    "read a hash": "SELECT pin_hash FROM officer",
    "read every column": "SELECT * FROM officer",
    "overwrite a hash": "UPDATE officer SET pin_hash = 'x'",
    "reset a lockout": "UPDATE officer SET failed_attempts = 0, locked_until = NULL",
    "change reference data": "UPDATE service SET name = 'x'",
    "add a service": "INSERT INTO agency (hall_id, code, name, short_name) "
    "VALUES (1, 'X', 'X', 'X')",
    "change hours": "UPDATE hall SET hours = '{}'",
    "loosen the lockout": "UPDATE hall SET pin_attempts = 1000",
    "update an event": "UPDATE ticket_event SET kind = 'x'",
    "delete events": "DELETE FROM ticket_event",
    "drop a trigger": "DROP TRIGGER ticket_event_append_only ON ticket_event",
    "disable a trigger": "ALTER TABLE ticket_event DISABLE TRIGGER ticket_event_append_only",
    "read the audit log": "SELECT * FROM audit_log",
    "forge an audit row": "INSERT INTO audit_log (at, actor, action, target, host, db_user, "
    "client_addr) VALUES (now(), 'admin', 'x', 'x', 'x', 'x', 'x')",
    "rebind to another hall": "UPDATE hall_role SET hall_id = hall_id + 1",
    "switch off row security": "ALTER TABLE ticket DISABLE ROW LEVEL SECURITY",
    "reopen a day": "DELETE FROM day_close",
    "fake the schema version": "UPDATE alembic_version SET version_num = '9999'",
    "write into another hall": "INSERT INTO ticket_event (hall_id, ticket_id, kind, at, "
    "status_to) VALUES (%(uji)s, 1, 'issued', now(), 'waiting')",
}


@pytest.mark.postgres
def test_every_attack_is_refused_and_changes_nothing(world: World) -> None:
    """Each attack fails with the database's refusal; afterwards every table is as it was."""
    before = snapshot(world.superuser)
    outcomes = {}
    for name, sql in ATTACKS.items():
        error = world.attack(sql, uji=world.uji_id)
        outcomes[name] = error.sqlstate
    # 42501 insufficient privilege; 42501/42P01-like for row security: WITH CHECK is 42501 too.
    assert outcomes == dict.fromkeys(ATTACKS, "42501"), outcomes
    assert snapshot(world.superuser) == before


@pytest.mark.postgres
def test_another_halls_rows_are_invisible_and_untouchable(world: World) -> None:
    """KOTIM's daily role sees no UJI row and its UPDATE/DELETE of them touch nothing."""
    before = snapshot(world.superuser)
    with psycopg.connect(world.app) as conn:
        seen = conn.execute(
            "SELECT DISTINCT hall_id FROM ticket UNION SELECT id FROM hall"
        ).fetchall()
        assert {h for (h,) in seen} <= {world.kotim_id}
        assert conn.execute(
            "SELECT count(*) FROM officer WHERE hall_id = %s", (world.uji_id,)
        ).fetchone() == (0,)
        changed = conn.execute(
            "UPDATE ticket SET status = 'cancelled' WHERE hall_id = %s", (world.uji_id,)
        ).rowcount
        assert changed == 0
        conn.commit()
    assert snapshot(world.superuser) == before


@pytest.mark.postgres
@pytest.mark.slow
def test_ten_thousand_pins_through_the_sign_in_path(world: World) -> None:
    """Every 4-digit PIN, the right one among them, tried online through `mpp_sign_in` as the
    daily role: the hall's limit of failures locks the account, and from then on every answer
    is "locked" — the right PIN too; the daily role cannot lift the lock; the admin can."""
    with psycopg.connect(world.app, autocommit=True) as conn:
        prefix, hash_len = conn.execute(
            "SELECT prefix, hash_len FROM mpp_pin_salt(%s, 'budi')", (world.kotim_id,)
        ).fetchone()
        outcomes = []
        for n in range(10_000):
            candidate = _argon2_with(prefix, hash_len, f"{n:04d}")
            (outcome,) = conn.execute(
                "SELECT outcome FROM mpp_sign_in(%s, 'budi', %s)", (world.kotim_id, candidate)
            ).fetchone()
            outcomes.append(outcome)
    assert outcomes[:5] == ["failed"] * 4 + ["locked"]
    assert set(outcomes[5:]) == {"locked"}
    assert outcomes[int(OPERATOR_PIN)] == "locked"
    world.attack("UPDATE officer SET locked_until = NULL WHERE username = 'budi'")

    engine = make_engine(world.app)
    try:
        with pytest.raises(AuthError) as err:
            Hall(engine, hall="KOTIM").officers.authenticate(username="budi", pin=OPERATOR_PIN)
        assert err.value.key == "err.account_locked"
    finally:
        engine.dispose()
    done = CliRunner().invoke(
        cli_app,
        ["--db", world.owner, "--hall", "KOTIM", "user", "unlock", "budi", "--by", "admin"],
        env={"MPP_BY_PIN": ADMIN_PIN},
    )
    assert done.exit_code == 0, done.output
    engine = make_engine(world.app)
    try:
        assert Hall(engine, hall="KOTIM").officers.authenticate(username="budi", pin=OPERATOR_PIN)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_admin_actions_are_in_the_audit_log(world: World) -> None:
    """init (reference data, first admin), grant, and account changes are each one audit row,
    stamped by the server with the owner role; no row holds a PIN or hash; `mpp audit --json`
    shows them."""
    done = CliRunner().invoke(
        cli_app,
        ["--db", world.owner, "--hall", "KOTIM", "audit", "--json"],
    )
    assert done.exit_code == 0, done.output
    entries = json.loads(done.stdout)["entries"]
    actions = [e["action"] for e in reversed(entries)]
    assert actions[:3] == ["reference.load", "officer.add", "officer.first_admin"]
    assert "db.grant" in actions
    assert {e["db_user"] for e in entries} == {world.dep.owner}
    assert all("$argon2" not in json.dumps(e) and ADMIN_PIN not in json.dumps(e) for e in entries)


def test_grants_are_plain_statements() -> None:
    """The grant list names no table the daily role must not write."""
    statements = daily_grants("mpp_app")
    writes = [s for s in statements if s.startswith("GRANT") and "SELECT" not in s]
    assert not any(" officer" in s or "audit_log" in s or "hall_role" in s for s in writes)
    with pytest.raises(ValueError, match="plain role name"):
        daily_grants("x; DROP TABLE ticket")

"""Secrets stay secret: database passwords and PINs never reach the screen, `--json`, errors,
`mpp doctor` or the log file; a config file holding a password that other users may read gets
a warning (at every start and in `mpp doctor`).

The commands run as real `mpp` processes (python -m mpp_tui), each writing the log file named
by MPP_LOG_FILE, which is then searched along with everything the process printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpp_tui.cli.main import app
from mpp_tui.config import exposed_secret_mode, mask_password, url_has_password
from mpp_tui.db.engine import make_engine
from mpp_tui.services.facade import Hall
from tests.conftest import ADMIN_PIN, FAST_HASHER, SUPERVISOR_PIN, pg_exec, pg_url_for

PASSWORD = "S3cretPw9"
NEW_PIN = "739164"  # valid under the policy, and never used elsewhere
WRONG_PIN = "615283"
BAD_URLS = {
    "unreachable": f"postgresql://mpp:{PASSWORD}@127.0.0.1:1/mpp",
    "malformed port": f"postgresql://mpp:{PASSWORD}@127.0.0.1:notaport/mpp",
    "unknown driver": f"postgresql+nodriver://mpp:{PASSWORD}@db.local/mpp",
}


def mpp(
    log: Path, *args: str, pin: str | None = None, admin: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run `mpp ARGS` as its own process, logging to `log` (`admin`: signed in as the admin)."""
    env = {**os.environ, "MPP_LOG_FILE": str(log), "COLUMNS": "200"}
    env.pop("MPP_PIN", None)
    if admin:
        env.update(MPP_BY="admin", MPP_BY_PIN=ADMIN_PIN)
    if pin is not None:
        env["MPP_PIN"] = pin
    return subprocess.run(
        [sys.executable, "-m", "mpp_tui", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_no_secret(result: subprocess.CompletedProcess[str], log: Path, *secrets: str) -> None:
    """Nothing printed and nothing logged contains a secret; and never a traceback."""
    logged = log.read_text(encoding="utf-8") if log.exists() else ""
    for secret in secrets:
        assert secret not in result.stdout, (secret, result.stdout)
        assert secret not in result.stderr, (secret, result.stderr)
        assert secret not in logged, (secret, logged[-2000:])
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("kind", list(BAD_URLS))
def test_a_bad_url_never_shows_its_password(kind: str, tmp_path: Path) -> None:
    """doctor (text and JSON) and an ordinary command with a broken URL holding a password:
    exit 1, the URL shown masked, the password nowhere."""
    url = BAD_URLS[kind]
    log = tmp_path / "mpp.log"
    doctor = mpp(log, "--db", url, "doctor")
    assert doctor.returncode == 1
    assert "mpp:***@" in doctor.stdout
    as_json = mpp(log, "--db", url, "doctor", "--json")
    data = json.loads(as_json.stdout)
    assert data["healthy"] is False
    status = mpp(log, "--db", url, "status")
    assert status.returncode == 1
    assert "tak terduga" not in status.stderr  # a clear refusal, not "unexpected error"
    for result in (doctor, as_json, status):
        assert_no_secret(result, log, PASSWORD)


@pytest.fixture
def pg_db_url(pg_template: str) -> Iterator[str]:
    """A fresh, migrated and seeded PostgreSQL database."""
    name = f"mpp_s_{uuid.uuid4().hex[:10]}"
    pg_exec(f"CREATE DATABASE {name} TEMPLATE {pg_template}")
    engine = make_engine(pg_url_for(name))
    Hall(engine, hasher=FAST_HASHER).officers.add(username="admin", pin=ADMIN_PIN, role="admin")
    engine.dispose()
    yield pg_url_for(name)
    pg_exec(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.postgres
def test_a_working_url_and_pins_stay_secret(pg_db_url: str, tmp_path: Path) -> None:
    """A working PostgreSQL URL with a password (the test server trusts, so any password
    works): doctor is healthy and masks it; a new officer's PIN and a wrong PIN typed at
    sign-in appear in no output and no log line."""
    url = pg_db_url.replace("://postgres@", f"://postgres:{PASSWORD}@", 1)
    assert PASSWORD in url
    log = tmp_path / "mpp.log"
    results = [mpp(log, "--db", url, "doctor"), mpp(log, "--db", url, "doctor", "--json")]
    assert results[0].returncode == 0, results[0].stdout
    assert "postgres:***@" in results[0].stdout
    results.append(mpp(log, "--db", url, "user", "add", "rina", pin=NEW_PIN, admin=True))
    assert results[-1].returncode == 0, results[-1].stderr
    results.append(mpp(log, "--db", url, "user", "add", "tono", pin="1234", admin=True))  # refused
    assert results[-1].returncode == 1
    at = ("--counter", "L01", "--officer", "rina")
    results.append(mpp(log, "--db", url, "counter", "open", *at, pin=WRONG_PIN))
    assert results[-1].returncode == 1
    results.append(mpp(log, "--db", url, "--lang", "en", "call", "next", *at, pin=WRONG_PIN))
    assert "Wrong username or PIN" in results[-1].stderr
    results.append(mpp(log, "--db", url, "counter", "open", *at, "--json", pin=NEW_PIN))
    assert results[-1].returncode == 0, results[-1].stderr
    assert log.exists()
    for result in results:
        assert_no_secret(result, log, PASSWORD, NEW_PIN, WRONG_PIN, SUPERVISOR_PIN, ADMIN_PIN)


def test_mask_password_and_detection() -> None:
    """The masking works on URLs that do not even parse; detection finds a password."""
    assert (
        mask_password(BAD_URLS["malformed port"]) == "postgresql://mpp:***@127.0.0.1:notaport/mpp"
    )
    assert mask_password("postgresql://u:p@ss@h/db") == "postgresql://u:***@h/db"
    assert mask_password("sqlite:////var/lib/mpp/mpp.sqlite") == "sqlite:////var/lib/mpp/mpp.sqlite"
    assert all(url_has_password(u) for u in BAD_URLS.values())
    assert not url_has_password("postgresql://mpp@db.local/mpp")
    assert not url_has_password("sqlite:////var/lib/mpp/mpp.sqlite")


# --- the config file's permissions ----------------------------------------------------------


def write_config(path: Path, url: str, mode: int) -> Path:
    path.write_text(f'database_url = "{url}"\nlang = "en"\n', encoding="utf-8")
    path.chmod(mode)
    return path


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_exposed_secret_mode(tmp_path: Path) -> None:
    """Group- or other-readable with a password: the mode; private, or no password: None."""
    url = BAD_URLS["unreachable"]
    assert exposed_secret_mode(write_config(tmp_path / "a.toml", url, 0o644)) == "0644"
    assert exposed_secret_mode(write_config(tmp_path / "b.toml", url, 0o640)) == "0640"
    assert exposed_secret_mode(write_config(tmp_path / "c.toml", url, 0o600)) is None
    assert exposed_secret_mode(write_config(tmp_path / "d.toml", url, 0o400)) is None
    plain = "postgresql://mpp@db.local/mpp"
    assert exposed_secret_mode(write_config(tmp_path / "e.toml", plain, 0o644)) is None
    assert exposed_secret_mode(tmp_path / "missing.toml") is None
    assert exposed_secret_mode(None) is None


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_readable_password_file_is_warned_about(tmp_path: Path) -> None:
    """Every command warns on stderr at start (naming the file, its mode and the fix), and
    doctor lists it as a warning; `chmod 600` silences both. The password is never shown."""
    runner = CliRunner()
    config = write_config(tmp_path / "config.toml", BAD_URLS["unreachable"], 0o644)
    status = runner.invoke(app, ["--config", str(config), "status"])
    warning = status.stderr.splitlines()[0]
    assert warning.startswith("Warning: config file")
    assert str(config) in warning
    assert "0644" in warning
    assert f"chmod 600 {config}" in warning
    doctor = runner.invoke(app, ["--config", str(config), "doctor", "--json"])
    checks = {c["name"]: c for c in json.loads(doctor.stdout)["checks"]}
    assert checks["config secret"]["level"] == "warn"
    assert checks["config secret"]["ok"] is True  # a warning, not a failure
    assert checks["config"]["detail"].startswith(str(config))
    for result in (status, doctor):
        assert PASSWORD not in result.output

    config.chmod(0o600)
    quiet = runner.invoke(app, ["--config", str(config), "doctor", "--json"])
    assert "config secret" not in {c["name"] for c in json.loads(quiet.stdout)["checks"]}
    assert "Warning" not in quiet.stderr

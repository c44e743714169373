"""deploy/systemd/mpp-screen@.service: systemd accepts it, it runs a locked screen on tty1 as
an unprivileged user and restarts it for ever, and every screen it names is an `mpp` command."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpp_tui.cli.main import app

UNIT = Path(__file__).resolve().parents[2] / "deploy" / "systemd" / "mpp-screen@.service"
SCREENS = ["counter", "kiosk", "board", "survey", "supervisor"]  # the instances docs/ name


def _service() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    parser.read_string(UNIT.read_text(encoding="utf-8"))
    return parser["Service"]


def test_the_unit_runs_a_locked_screen_on_tty1_with_no_way_to_a_shell() -> None:
    service = _service()
    assert service["ExecStart"] == "/usr/local/bin/mpp %i $MPP_SCREEN_ARGS"  # mpp, no shell
    assert service["User"] not in ("", "root")
    assert "MPP_LOCKED=1" in service["Environment"].split()
    assert service["Restart"] == "always"
    for stream in ("StandardInput", "StandardOutput", "StandardError"):
        assert service[stream] == "tty", stream  # Textual draws on stderr
    assert service["TTYPath"] == "/dev/tty1"
    assert service["NoNewPrivileges"] == "yes"
    # The database URL stays in the user's config file: `systemctl show` is open to anyone.
    assert "MPP_DATABASE_URL" not in service.get("Environment", "")
    assert "postgresql://" not in UNIT.read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
@pytest.mark.parametrize("screen", ["kiosk", "board"])
def test_systemd_accepts_the_unit(tmp_path: Path, screen: str) -> None:
    """`systemd-analyze verify` on an instance, with ExecStart pointed at a stand-in for mpp
    (it insists the program exists); it exits 0 even on unknown keys, so any output fails."""
    stand_in = tmp_path / "mpp"
    stand_in.write_text("#!/bin/sh\n", encoding="utf-8")
    stand_in.chmod(0o755)
    text = UNIT.read_text(encoding="utf-8").replace("/usr/local/bin/mpp", str(stand_in))
    instance = tmp_path / f"mpp-screen@{screen}.service"
    instance.write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", str(instance)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout + result.stderr == ""


@pytest.mark.parametrize("screen", SCREENS)
def test_every_screen_instance_is_an_mpp_command(screen: str) -> None:
    result = CliRunner().invoke(app, [screen, "--help"])
    assert result.exit_code == 0, result.output

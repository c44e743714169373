"""CLI behaviour added after the first user try-out: service list, hints, version, counter
from config, JSON errors before the command runs, pause notes."""

from __future__ import annotations

import pytest

from mpp_tui import __version__
from mpp_tui.services.officers import Officers
from tests.cli.test_cli import Mpp, as_json, line, ok, refused, run
from tests.conftest import OPERATOR_PIN

pytestmark = pytest.mark.usefixtures("officers")


@pytest.fixture
def mpp(db_url: str) -> Mpp:
    return Mpp(db_url)


def test_services_lists_codes_and_counters(mpp: Mpp) -> None:
    """`mpp services --json` lists every service with its prefix and the counters calling it."""
    data = as_json(ok(mpp("services", "--json")))
    by_code = {s["code"]: s for s in data["services"]}
    assert len(by_code) == 52
    assert by_code["KTP"]["prefix"] == "A"
    assert "L01" in by_code["KTP"]["counters"]
    assert "L18" in by_code["KTP"]["counters"]
    assert by_code["KTP"]["daily_quota"] == 30
    text = ok(mpp("--lang", "en", "services")).stdout
    assert "e-ID card" in text


def test_unknown_service_suggests_close_codes(mpp: Mpp) -> None:
    """A partial code names the services it could mean; nonsense just points at the list."""
    refused(mpp("ticket", "issue", "AKTA"), "AKTA_LAHIR", "AKTA_MATI", "mpp services")
    refused(mpp("ticket", "issue", "ZZZZ"), "'ZZZZ'", "mpp services")


def test_version() -> None:
    """`mpp --version` prints the version and exits 0."""
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"mpp-tui {__version__}"


def test_counter_comes_from_the_environment(mpp: Mpp, officers: Officers) -> None:
    """On a counter PC, MPP_COUNTER stands in for --counter; without either, a clear refusal."""
    assert line(
        ok(mpp("counter", "open", "--officer", "budi", pin=OPERATOR_PIN, MPP_COUNTER="L01"))
    )
    refused(
        mpp("counter", "pause", "--officer", "budi", "--reason", "rapat", pin=OPERATOR_PIN),
        "--counter",
    )
    out = ok(
        mpp(
            "counter",
            "pause",
            "--officer",
            "budi",
            "--reason",
            "rapat",
            "--json",
            pin=OPERATOR_PIN,
            MPP_COUNTER="L01",
        )
    )
    assert as_json(out)["counter"]["code"] == "L01"


def test_pause_other_needs_a_note(mpp: Mpp) -> None:
    """`--reason lainnya` without a note is refused, as `finish --outcome lainnya` is."""
    ok(mpp("counter", "open", "--counter", "L01", "--officer", "budi", pin=OPERATOR_PIN))
    args = ("counter", "pause", "--counter", "L01", "--officer", "budi", "--reason", "lainnya")
    refused(mpp(*args, pin=OPERATOR_PIN), "catatan")
    text = line(ok(mpp("--lang", "en", *args, "--note", "printer jam", pin=OPERATOR_PIN)))
    assert text == "Counter L01: paused (other: printer jam)."


def test_json_error_before_the_command_runs(mpp: Mpp, tmp_path: object) -> None:
    """A bad --lang fails in the root callback, yet `--json` still gets a JSON error."""
    result = mpp("--lang", "xx", "status", "--json")
    assert result.exit_code == 1
    data = as_json(result)
    assert data["ok"] is False
    assert data["error"]["code"] == "err.lang_invalid"

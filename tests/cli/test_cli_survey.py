"""`mpp report skm` on answers seeded through Survey (both backends), and the refusals of
`mpp report skm` and `mpp survey`: one line, exit 1.

The seeded answers are the four-visitor example of tests/unit/test_skm.py, answered on Monday
30 November 2026 (three for KTP at Disdukcapil's L01, one for NIB at DPMPTSP's L03):

    answers            U1 U2 U3 U4 U5 U6 U7 U8 U9
      KTP               4  4  3  4  4  3  4  3  3
      KTP               3  4  3  4  3  3  4  2  3
      NIB               4  3  4  4  4  4  4  3  4
      KTP               3  3  2  4  3  3  4  2  3
    sum                14 14 12 16 14 13 16 10 13   (122)
    NRR              3.50 3.50 3.00 4.00 3.50 3.25 4.00 2.50 3.25
    IKM = 122/36 = 3.3889; score = 3050/36 = 84.72 → B (Baik)
    KTP only: 10 11 8 12 10 9 12 7 9 (88) → 25 × 88 / 27 = 81.48 → B
"""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import Engine

from mpp_tui.domain.clock import FrozenClock
from mpp_tui.services.facade import Hall
from tests.cli.test_cli import Mpp, as_json, ok, refused, run, usage_refused
from tests.services.helpers import wib

DAY = "2026-11-30"
VISITORS = [
    ("KTP", "L01", "budi", [4, 4, 3, 4, 4, 3, 4, 3, 3]),
    ("KTP", "L01", "budi", [3, 4, 3, 4, 3, 3, 4, 2, 3]),
    ("NIB", "L03", "sari", [4, 3, 4, 4, 4, 4, 4, 3, 4]),
    ("KTP", "L01", "budi", [3, 3, 2, 4, 3, 3, 4, 2, 3]),
]


@pytest.fixture
def mpp(db_url: str, engine: Engine, queue: Hall, clock: FrozenClock) -> Mpp:
    """The CLI on a database holding the four answers above."""
    clock.set(wib(2026, 11, 30, 10, 0))
    survey = Hall(engine, clock=clock).survey
    for service, counter, officer, answers in VISITORS:
        queue.sessions.open_counter(counter=counter, officer=officer)
        queue.issuing.issue_ticket(service=service, override_by="spv")
        queue.calls.call_next(counter=counter, officer=officer)
        ticket = queue.calls.finish(counter=counter, officer=officer)
        clock.advance(minutes=1)
        survey.record(ticket=ticket.id, answers=answers)
    return Mpp(db_url)


def test_the_table(mpp: Mpp) -> None:
    out = ok(mpp("report", "skm", "--from", DAY, "--to", DAY)).stdout
    assert f"{DAY} s.d. {DAY}" in out
    rows = {ln.split("│")[1].strip(): ln for ln in out.splitlines() if ln.startswith("│ U")}
    assert sorted(rows) == [f"U{n}" for n in range(1, 10)]
    cells = [c.strip() for c in rows["U6"].split("│")[1:-1]]
    assert cells == ["U6", "Kompetensi pelaksana", "13", "3.2500", "0.3611", "81.25", "B"]
    cells = [c.strip() for c in rows["U8"].split("│")[1:-1]]
    assert cells[2:] == ["10", "2.5000", "0.2778", "62.50", "D"]
    assert "Jumlah responden: 4" in out
    assert "IKM (jumlah NRR × 1/9, skala 1–4): 3.3889" in out
    assert "Nilai IKM unit pelayanan (IKM × 25): 84.72" in out
    assert "Mutu pelayanan: B — kinerja Baik" in out


def test_json(mpp: Mpp) -> None:
    data = as_json(ok(mpp("report", "skm", "--from", DAY, "--to", DAY, "--format", "json")))
    assert data["ok"] is True
    assert (data["from"], data["to"], data["agency"], data["service"]) == (DAY, DAY, None, None)
    assert data["respondents"] == 4
    assert (data["ikm"], data["score"], data["grade"], data["grade_words"]) == (
        3.3889,
        84.72,
        "B",
        "Baik",
    )
    assert [e["total"] for e in data["elements"]] == [14, 14, 12, 16, 14, 13, 16, 10, 13]
    assert [e["nrr"] for e in data["elements"]] == [3.5, 3.5, 3, 4, 3.5, 3.25, 4, 2.5, 3.25]
    assert data["elements"][7]["grade"] == "D"
    same = as_json(ok(mpp("report", "skm", "--from", DAY, "--to", DAY, "--json")))
    assert same == data


def test_csv(mpp: Mpp) -> None:
    out = ok(mpp("--lang", "en", "report", "skm", "--from", DAY, "--to", DAY, "--format", "csv"))
    rows = list(csv.reader(io.StringIO(out.stdout)))
    assert rows[0] == [
        "Element", "Name", "Sum", "NRR", "NRR×1/9", "NRR×25", "Grade", "Respondents",
    ]  # fmt: skip
    assert rows[1] == ["U1", "Requirements", "14", "3.5000", "0.3889", "87.50", "B", "4"]
    assert rows[-1] == ["IKM", "Service unit index", "122", "3.3889", "3.3889", "84.72", "B", "4"]
    assert len(rows) == 11


def test_by_agency_and_service(mpp: Mpp) -> None:
    ktp = as_json(
        ok(mpp("report", "skm", "--from", DAY, "--to", DAY, "--agency", "dukcapil", "--json"))
    )
    assert (ktp["agency"], ktp["respondents"], ktp["score"], ktp["grade"]) == (
        "DUKCAPIL",
        3,
        81.48,
        "B",
    )
    nib = ok(mpp("--lang", "en", "report", "skm", "--from", DAY, "--to", DAY, "--service", "NIB"))
    # One visitor, 34 in all: 25 × 34 / 9 = 94.44 → A.
    assert "Service unit score (IKM × 25): 94.44" in nib.stdout
    assert "Service quality: A — performance Very good" in nib.stdout
    assert "Respondents: 1" in nib.stdout
    assert "· NIB" in nib.stdout


def test_refusals(mpp: Mpp) -> None:
    base = ("report", "skm", "--from", DAY, "--to", DAY)
    refused(mpp("report", "skm", "--from", "30-11-2026", "--to", DAY), "30-11-2026", "YYYY-MM-DD")
    refused(mpp("report", "skm", "--from", DAY, "--to", "2026-11-29"), DAY, "2026-11-29")
    refused(mpp(*base, "--agency", "NOPE"), "NOPE")
    refused(mpp(*base, "--service", "NOPE"), "NOPE")
    refused(mpp(*base, "--format", "xml"), "xml", "table, json, csv")
    refused(mpp("report", "skm", "--from", "2026-11-01", "--to", "2026-11-29"), "2026-11-01")
    refused(mpp(*base, "--agency", "DPMPTSP", "--service", "KTP"), DAY)
    usage_refused(mpp("report", "skm", "--to", DAY), "--from")
    data = as_json(mpp("report", "skm", "--from", "2026-11-01", "--to", "2026-11-29", "--json"))
    assert data["ok"] is False
    assert data["error"]["code"] == "skm.err.no_responses"


def test_the_survey_screen_refuses_an_unknown_counter(mpp: Mpp) -> None:
    """An unknown --counter: one line and exit 1, before any screen opens."""
    refused(mpp("survey", "--counter", "L99"), "L99")


def test_help_lists_the_commands() -> None:
    assert "survey" in ok(run("--help")).stdout
    assert "skm" in ok(run("report", "--help")).stdout
    assert "--counter" in ok(run("survey", "--help")).stdout

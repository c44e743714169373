"""`mpp log`: the daily log as a table, CSV, JSON and XLSX, with filters; refusals."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.cli.test_cli import Mpp, as_json, ok, refused
from tests.conftest import OPERATOR_PIN

pytestmark = pytest.mark.usefixtures("officers")


@pytest.fixture
def mpp(db_url: str) -> Mpp:
    m = Mpp(db_url)
    m.issue("KTP", "--priority", "lansia")
    m.issue("NIB")
    ok(m("counter", "open", "--counter", "L01", "--officer", "budi", pin=OPERATOR_PIN))
    ok(m("call", "next", "--counter", "L01", "--officer", "budi", pin=OPERATOR_PIN))
    ok(
        m(
            "call",
            "finish",
            "--counter",
            "L01",
            "--officer",
            "budi",
            "--outcome",
            "selesai",
            pin=OPERATOR_PIN,
        )
    )
    return m


def test_table_lists_every_ticket(mpp: Mpp) -> None:
    text = ok(mpp("log")).stdout
    assert "2 tiket" in text
    assert "A-001" in text
    assert "B-001" in text


def test_csv_and_json_carry_the_same_tickets(mpp: Mpp) -> None:
    rows = list(csv.reader(io.StringIO(ok(mpp("log", "--format", "csv")).stdout)))
    assert rows[0][:3] == ["ID", "Nomor", "Tanggal"]
    by_code = {r[1]: r for r in rows[1:]}
    assert set(by_code) == {"A-001", "B-001"}
    assert by_code["A-001"][3] == "done"
    assert by_code["A-001"][7] == "lansia"
    data = as_json(ok(mpp("log", "--format", "json")))
    assert [t["code"] for t in data["tickets"]] == ["A-001", "B-001"]
    assert data["tickets"][0]["officer"] == "budi"


def test_filters(mpp: Mpp) -> None:
    data = as_json(ok(mpp("log", "--format", "json", "--service", "NIB")))
    assert [t["code"] for t in data["tickets"]] == ["B-001"]
    data = as_json(ok(mpp("log", "--format", "json", "--officer", "budi")))
    assert [t["code"] for t in data["tickets"]] == ["A-001"]
    data = as_json(ok(mpp("log", "--format", "json", "--agency", "DPMPTSP")))
    assert [t["code"] for t in data["tickets"]] == ["B-001"]


def test_xlsx_reopens_with_typed_cells(mpp: Mpp, tmp_path: Path) -> None:
    path = tmp_path / "log.xlsx"
    assert "2 tiket" in ok(mpp("log", "--format", "xlsx", "--output", str(path))).stdout
    sheet = load_workbook(path).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Nomor"
    first = rows[1]
    assert first[1] == "A-001"
    assert isinstance(first[2], datetime | date)  # the business date, a real date
    assert isinstance(first[10], datetime)  # issued, a real date-time
    assert isinstance(first[14], int)  # the wait in seconds, a number
    assert first[18] == 1  # calls


def test_json_file_and_csv_file(mpp: Mpp, tmp_path: Path) -> None:
    target = tmp_path / "log.json"
    ok(mpp("log", "--format", "json", "--output", str(target)))
    assert [t["code"] for t in json.loads(target.read_text(encoding="utf-8"))] == ["A-001", "B-001"]
    target = tmp_path / "log.csv"
    ok(mpp("log", "--format", "csv", "--output", str(target)))
    assert target.read_text(encoding="utf-8").count("\n") == 3


def test_refusals(mpp: Mpp, tmp_path: Path) -> None:
    refused(mpp("log", "--date", "2026-13-01"), "2026-13-01")
    refused(mpp("log", "--format", "xlsx"), "--output")
    refused(mpp("log", "--service", "NOPE"), "NOPE")
    missing = tmp_path / "no" / "such" / "dir" / "log.csv"
    refused(mpp("log", "--format", "csv", "--output", str(missing)), str(missing))
    assert not missing.exists()

"""`mpp report` and `mpp report monthly` end to end (both backends): the terminal table, the CSV,
JSON and XLSX files (reopened with the csv module and openpyxl: same values, proper types), and
the refusals (one line, exit 1, nothing written).

One small business day is played through Hall with a frozen clock, on Monday 3 March
2025 (WIB), far from the real clock's month, so `mpp report` without dates never sees it:

    t1 A-001 KTP         09:00 issued, 09:05 called L01, 09:06 start, 09:16 done
    t2 A-002 KK lansia   09:02 issued, 09:20 called L01, recalled twice, 09:23 no-show
    t3 B-001 NIB         09:04 issued, cancelled while waiting
    t4 A-003 KTP         09:10 issued, 09:30 called L01, 09:31 start, 09:40 transferred to KK
    t5 A-003 KK          09:40 transfer child, 09:41 called L02, 09:59 done (18 min of 20)
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from mpp_tui.domain.clock import FrozenClock
from mpp_tui.services.facade import Hall
from tests.cli.test_cli import Mpp, as_json, ok, refused
from tests.services.helpers import wib

DAY = "2025-03-03"
COUNT_HEADERS = [
    "Pengunjung",
    "Alihan masuk",
    "Dilayani",
    "Tidak hadir",
    "Dibatalkan",
    "Dialihkan",
    "Kedaluwarsa",
    "Belum selesai",
    "Gagal cetak",
]
TIME_HEADERS = [
    "Rata-rata tunggu (menit)",
    "P90 tunggu (menit)",
    "Rata-rata layanan (menit)",
    "P90 layanan (menit)",
    "Sesuai standar (%)",
]


@pytest.fixture
def mpp(db_url: str) -> Mpp:
    return Mpp(db_url)


@pytest.fixture
def played(queue: Hall, clock: FrozenClock) -> None:
    """The day of the module docstring."""

    def at(hour: int, minute: int) -> None:
        clock.set(wib(2025, 3, 3, hour, minute))

    q = queue
    at(9, 0)
    q.sessions.open_counter(counter="L01", officer="budi")
    q.sessions.open_counter(counter="L02", officer="sari")
    t1 = q.issuing.issue_ticket(service="KTP").ticket.id
    at(9, 2)
    t2 = q.issuing.issue_ticket(service="KK", priority="lansia").ticket.id
    at(9, 4)
    t3 = q.issuing.issue_ticket(service="NIB").ticket.id
    at(9, 5)
    q.calls.call_ticket(counter="L01", officer="budi", ticket=t1)
    at(9, 6)
    q.calls.start(counter="L01", officer="budi")
    at(9, 10)
    t4 = q.issuing.issue_ticket(service="KTP").ticket.id
    at(9, 16)
    q.calls.finish(counter="L01", officer="budi")
    q.supervision.cancel(ticket=t3, officer="spv")
    at(9, 20)
    q.calls.call_ticket(counter="L01", officer="budi", ticket=t2)
    q.calls.recall(counter="L01", officer="budi")
    q.calls.recall(counter="L01", officer="budi")
    at(9, 23)
    q.calls.no_show(counter="L01", officer="budi")
    at(9, 30)
    q.calls.call_ticket(counter="L01", officer="budi", ticket=t4)
    at(9, 31)
    q.calls.start(counter="L01", officer="budi")
    at(9, 40)
    t5 = q.calls.transfer(counter="L01", officer="budi", service="KK").id
    at(9, 41)
    q.calls.call_ticket(counter="L02", officer="sari", ticket=t5)
    at(9, 59)
    q.calls.finish(counter="L02", officer="sari")


def _csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def _typed(text: str) -> int | float | str | None:
    """A CSV cell as the number (or text) it stands for."""
    if text == "":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


# --- the terminal ---------------------------------------------------------------------------------


def test_default_is_this_month_by_agency(mpp: Mpp, played: None) -> None:
    """Without options: the 1st of this month to today, per agency; March 2025 is not in it."""
    mpp.issue("KTP")  # today, by the real clock
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Jakarta")).date()
    data = as_json(ok(mpp("report", "--json")))["report"]
    assert (data["start"], data["end"]) == (today.replace(day=1).isoformat(), today.isoformat())
    assert data["by"] == "agency"
    assert [row["key"] for row in data["rows"]] == ["DUKCAPIL"]
    assert (data["total"]["visitors"], data["total"]["open"]) == (1, 1)
    text = ok(mpp("report")).stdout
    assert f"{today.replace(day=1)} s.d. {today}, per instansi" in text
    for word in ("Instansi", "Pengunjung", "Dilayani", "Tidak", "hadir", "DUKCAPIL", "Jumlah"):
        assert word in text


def test_table_of_a_past_day_in_both_languages(mpp: Mpp, played: None) -> None:
    """The counts table, the times table (minutes, decimal comma in Indonesian) and notes."""
    text = ok(mpp("report", "--from", DAY, "--to", DAY, "--by", "service")).stdout
    assert "MPP Kotim: laporan 2025-03-03 s.d. 2025-03-03, per layanan" in text
    ktp = next(line for line in text.splitlines() if line.startswith("KTP ") and "%" in line)
    # KTP: waits 5 and 20 min → 12,5; P90 5 + 0.9 × 15 = 18,5; service 10,0 (one), 100 %.
    assert ktp.split() == ["KTP", "12,5", "18,5", "10,0", "10,0", "100,0%", "0"]
    assert "Pengunjung prioritas: Lansia (60+) 1" in text
    english = ok(mpp("--lang", "en", "report", "--from", DAY, "--to", DAY)).stdout
    assert "MPP Kotim: report 2025-03-03 to 2025-03-03, by agency" in english
    assert "Visitors" in english
    assert "Priority visitors: Elderly (60+) 1" in english


def test_empty_period_says_so(mpp: Mpp) -> None:
    result = ok(mpp("report", "--from", "2024-01-01", "--to", "2024-01-31"))
    assert "Tidak ada tiket pada periode ini." in result.stdout


# --- files ----------------------------------------------------------------------------------------


def test_csv_and_xlsx_reopen_with_the_same_values_and_types(
    mpp: Mpp, played: None, tmp_path: Path
) -> None:
    """The same report as JSON, CSV and XLSX: every cell agrees, typed in each format."""
    period = ("--from", DAY, "--to", DAY, "--by", "service")
    data = json.loads(ok(mpp("report", *period, "--format", "json")).stdout)
    ok(mpp("report", *period, "--output", str(tmp_path / "r.csv")))  # format from the suffix
    written = ok(mpp("report", *period, "-f", "xlsx", "-o", str(tmp_path / "r.xlsx")))
    assert written.stdout.strip() == f"Laporan disimpan di {tmp_path / 'r.xlsx'} (4 baris)."

    rows = _csv(tmp_path / "r.csv")
    header = rows[0]
    assert header[:2] == ["Layanan", "Nama"]
    assert header[2:11] == COUNT_HEADERS
    assert header[11:16] == TIME_HEADERS
    assert header[16:] == [
        "Prioritas",
        "Lansia (60+)",
        "Penyandang Disabilitas",
        "Ibu Hamil",
        "Anak-anak",
        "Korban Bencana Alam/Sosial",
    ]
    body = [[_typed(cell) for cell in row] for row in rows[1:]]
    assert [row[0] for row in body] == ["KK", "KTP", "NIB", "Jumlah"]
    kk, ktp, nib, total = body
    # KK: t2 (new, no-show), t5 (by transfer, served): waits 18 and 1 min → 9.5; P90 1 + 0.9 ×
    # 17 = 16.3; service 18 min; within 100 %; one lansia.
    assert kk[2:] == [1, 1, 1, 1, 0, 0, 0, 0, 0, 9.5, 16.3, 18.0, 18.0, 100.0, 1, 1, 0, 0, 0, 0]
    assert ktp[2:9] == [2, 0, 1, 0, 0, 1, 0]
    assert nib[2:7] == [1, 0, 0, 0, 1]
    assert nib[11:16] == [None] * 5  # never called: no times at all
    # Total: waits 5, 18, 20, 1 min → 11.0, P90 rank 2.7 of 1 5 18 20 → 19.4; service 10 and
    # 18 min → 14.0, P90 10 + 0.9 × 8 = 17.2.
    assert total[:2] == ["Jumlah", None]
    assert total[2:16] == [4, 1, 2, 1, 1, 1, 0, 0, 0, 11.0, 19.4, 14.0, 17.2, 100.0]
    assert total[2] == data["total"]["visitors"]
    assert total[11] == round(data["total"]["wait_avg_seconds"] / 60, 1)

    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["Laporan", "Keterangan"]
    sheet = book["Laporan"]
    assert sheet.freeze_panes == "C2"
    assert [c.value for c in sheet[1]] == header
    assert all(c.font.bold for c in sheet[1])
    assert sheet.column_dimensions["B"].width > len("Nama")
    for csv_row, xlsx_row in zip(body, sheet.iter_rows(min_row=2), strict=True):
        for column, (want, cell) in enumerate(zip(csv_row, xlsx_row, strict=True)):
            if column in (0, 1):  # code and name: text
                assert cell.value == want
            elif header[column] == "Sesuai standar (%)":
                assert cell.number_format == "0.0%"
                assert (cell.value is None) == (want is None)
                if want is not None:
                    assert isinstance(cell.value, int | float)  # 1.0 reads back as 1
                    assert cell.value * 100 == pytest.approx(want)
            elif header[column] in TIME_HEADERS:
                assert cell.value == want
                if want is not None:
                    assert isinstance(cell.value, int | float)
                    assert cell.number_format == "0.0"
            else:
                assert (type(cell.value), cell.value) == (int, want)
    about = {row[0].value: row[1].value for row in book["Keterangan"].iter_rows()}
    # openpyxl reads a date cell back as a (naive) datetime at midnight
    assert about["Dari tanggal"].date() == about["Sampai tanggal"].date() == date(2025, 3, 3)
    assert about["Per"] == "Layanan"


def test_by_day_dates_are_dates(mpp: Mpp, played: None, tmp_path: Path) -> None:
    """Grouped by day, the key column holds real dates (ISO in CSV, a date cell in XLSX)."""
    period = ("--from", "2025-03-01", "--to", "2025-03-31", "--by", "day")
    ok(mpp("report", *period, "-o", str(tmp_path / "d.xlsx")))
    ok(mpp("report", *period, "-o", str(tmp_path / "d.csv")))
    assert _csv(tmp_path / "d.csv")[1][0] == DAY
    sheet = openpyxl.load_workbook(tmp_path / "d.xlsx").active
    assert sheet is not None
    cell = sheet["A2"]
    assert isinstance(cell.value, datetime)
    assert (cell.value.date(), cell.number_format) == (date(2025, 3, 3), "yyyy-mm-dd")
    assert sheet["A1"].value == "Tanggal"


def test_json_file_has_every_figure(mpp: Mpp, played: None, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    ok(mpp("report", "--from", DAY, "--to", DAY, "--by", "hour", "-o", str(out)))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [row["key"] for row in data["rows"]] == [9]  # every ticket issued 09:xx WIB
    assert data["total"]["wait_p90_seconds"] == pytest.approx(1164)
    assert data["total"]["within_standard_share"] == 1.0


def test_csv_to_the_terminal(mpp: Mpp, played: None) -> None:
    result = ok(mpp("--lang", "en", "report", "--from", DAY, "--to", DAY, "-f", "csv"))
    rows = list(csv.reader(result.stdout.splitlines()))
    assert rows[0][:3] == ["Agency", "Name", "Visitors"]
    assert [r[0] for r in rows[1:]] == ["DUKCAPIL", "DPMPTSP", "Total"]


def test_monthly_files(mpp: Mpp, played: None, tmp_path: Path) -> None:
    """The monthly shape: per agency its subtotal then its services, the hall's total last."""
    ok(mpp("report", "monthly", "--month", "2025-03", "-o", str(tmp_path / "m.xlsx")))
    ok(mpp("report", "monthly", "--month", "2025-03", "-o", str(tmp_path / "m.csv")))
    rows = _csv(tmp_path / "m.csv")
    assert rows[0][:9] == [
        "Instansi",
        "Nama instansi",
        "Layanan",
        "Nama layanan",
        "Waktu maksimal (menit)",
        "Hari layanan",
        "Pengunjung",
        "Alihan masuk",
        "Dilayani",
    ]
    assert rows[1][:3] == ["DUKCAPIL", "Disdukcapil", ""]  # the agency's subtotal
    assert [_typed(c) for c in rows[1][5:9]] == [1, 3, 1, 2]  # 1 day; t1 t2 t4; t5; t1 t5
    ktp = next(r for r in rows if r[2] == "KTP")
    assert [_typed(c) for c in ktp[4:9]] == [15, 1, 2, 0, 1]
    assert rows[-1][0] == "Jumlah"
    assert _typed(rows[-1][5]) == 1  # the hall was open one day in March 2025
    sheet = openpyxl.load_workbook(tmp_path / "m.xlsx")["Laporan bulanan"]
    assert sheet.freeze_panes == "E2"
    assert [c.value for c in sheet[1]] == rows[0]
    assert sheet["G2"].value == 3
    data = as_json(ok(mpp("report", "monthly", "--month", "2025-03", "--json")))["report"]
    assert (data["month"], data["days_open"], data["total"]["visitors"]) == ("2025-03", 1, 4)
    text = ok(mpp("report", "monthly", "--month", "2025-03")).stdout
    assert "MPP Kotim: laporan bulan 2025-03" in text
    assert "Hari layanan: 1" in text


def test_monthly_defaults_to_last_month(mpp: Mpp) -> None:
    """Without --month: the last full month (the one a hall sends upward at the start of this)."""
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Jakarta")).date()
    last = today.replace(day=1) - timedelta(days=1)
    data = as_json(ok(mpp("report", "monthly", "--json")))["report"]
    assert data["month"] == f"{last.year:04d}-{last.month:02d}"
    assert (data["days_open"], data["total"]["visitors"]) == (0, 0)
    assert data["agencies"][0]["code"] == "DUKCAPIL"  # every agency, with zeros


# --- refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (("--from", "2025-02-30"), ("2025-02-30",)),
        (("--from", "2025-03-05", "--to", "2025-03-01"), ("2025-03-05", "2025-03-01")),
        (("--by", "minggu"), ("minggu", "agency, service")),
        (("--agency", "XX"), ("XX",)),
        (("--service", "NOPE"), ("NOPE",)),
        (("--format", "pdf"), ("pdf",)),
        (("--format", "xlsx"), ("--output",)),
        (("--output", "{tmp}/no/such/dir/r.csv"), ("r.csv",)),
        (("--output", "{tmp}"), ("folder",)),
        (("--output", "{tmp}/r.txt"), ("r.txt", "--format")),
        (("--agency", "XX", "--output", "{tmp}/r.csv"), ("XX",)),
        (("monthly", "--month", "2025-13"), ("2025-13",)),
        (("monthly", "--month", "maret"), ("maret",)),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    mpp: Mpp, tmp_path: Path, args: tuple[str, ...], needles: tuple[str, ...]
) -> None:
    """Bad dates, ranges, groupings, codes, formats and outputs: exit 1, nothing written."""
    out = tmp_path / "out"  # apart from the SQLite file and its journals
    out.mkdir()
    argv = [a.replace("{tmp}", str(out)) for a in args]
    refused(mpp("report", *argv), *needles)
    assert list(out.iterdir()) == []


def test_refusal_as_json(mpp: Mpp) -> None:
    result = mpp("report", "--by", "minggu", "--json")
    assert result.exit_code == 1
    error = as_json(result)["error"]
    assert (error["code"], error["title"]) == ("err.choice_invalid", "Masukan tidak valid")


def test_help_lists_monthly(mpp: Mpp) -> None:
    text = ok(mpp("report", "--help")).stdout
    assert "monthly" in text
    assert "--by" in text

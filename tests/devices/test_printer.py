"""The ticket printer (mpp_tui.devices.printer): exact ESC/POS bytes, and every transport against
real files, FIFOs, sockets and `lp` programs.

Golden files live in tests/devices/golden/; after an intended change to the ticket layout,
regenerate them with `MPP_REGEN_GOLDEN=1 uv run pytest tests/devices/test_printer.py` and review
the diff of the `.txt` previews.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mpp_tui.config import load_settings
from mpp_tui.devices.printer import (
    COLUMNS,
    DEFAULT_TCP_PORT,
    PrinterTarget,
    PrintFailed,
    TicketPrinter,
    TicketSlip,
    ascii_safe,
    open_printer,
    parse_printer,
    render_ticket,
)
from mpp_tui.domain.errors import ReferenceDataError

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("MPP_REGEN_GOLDEN") == "1"
WIB = ZoneInfo("Asia/Jakarta")

SLIP = TicketSlip(
    hall_name='MPP Kotim "Habaring Hurung"',
    code="A-001",
    service_name="Perekaman KTP-el · cetak ulang – pengganti yang rusak",
    agency_name="Dinas Kependudukan dan Pencatatan Sipil Kotawaringin Timur",
    issued_at=datetime(2026, 11, 30, 9, 0, tzinfo=WIB),
    ahead=12,
    eta_minutes=35,
    priority_label="Lansia",
    lang="id",
)


# --- reading ESC/POS back -------------------------------------------------------------------------

ESC, GS = 0x1B, 0x1D
# The commands a ticket may contain (first byte after ESC/GS -> number of parameter bytes).
ESC_PARAMS = {ord("@"): 0, ord("a"): 1, ord("t"): 1, ord("E"): 1, ord("!"): 1, ord("M"): 1}
ESC_PARAMS[ord("d")] = 1
GS_PARAMS = {ord("!"): 1, ord("V"): 1}


@dataclass
class Printed:
    """What a ticket's bytes make the printer do."""

    lines: list[tuple[str, int]]
    """Each printed line and its character width multiplier."""
    commands: list[bytes]
    """Every command, in order."""

    def texts(self) -> list[str]:
        return [text for text, _ in self.lines]

    def preview(self, columns: int) -> str:
        """The ticket as plain text, centred like on paper; wide lines spaced out."""
        rows = []
        for text, scale in self.lines:
            shown = "".join(c + " " * (scale - 1) for c in text).rstrip()
            rows.append(shown.center(columns).rstrip())
        return "\n".join(rows) + "\n"


def read_escpos(data: bytes) -> Printed:
    """Interpret ticket bytes; fails on any command or byte a ticket should not contain."""
    lines: list[tuple[str, int]] = []
    commands: list[bytes] = []
    line = bytearray()
    scale, width = 1, 1
    i = 0
    while i < len(data):
        byte = data[i]
        if byte in (ESC, GS):
            table = ESC_PARAMS if byte == ESC else GS_PARAMS
            code = data[i + 1]
            assert code in table, f"unexpected command {data[i : i + 2]!r} at {i}"
            command = data[i : i + 2 + table[code]]
            commands.append(command)
            i += len(command)
            if command[:2] == b"\x1b!":  # print mode: bit 5 is double width
                width = 2 if command[2] & 0x20 else 1
            elif command[:2] == b"\x1d!":  # character size: high nibble is width - 1
                width = (command[2] >> 4) + 1
            elif command[:2] == b"\x1bd":  # print and feed n lines
                lines += [("", 1)] * command[2]
            scale = width
            continue
        if byte == 0x0A:
            lines.append((line.decode("ascii"), scale))
            line.clear()
        else:
            assert 0x20 <= byte <= 0x7E, f"unprintable byte {byte:#x} at {i}"
            line.append(byte)
        i += 1
    assert not line, "text left unprinted at the end"
    return Printed(lines, commands)


def check_golden(name: str, content: bytes) -> None:
    path = GOLDEN / name
    if REGEN:
        path.write_bytes(content)
    assert path.read_bytes() == content, f"{name} differs (MPP_REGEN_GOLDEN=1 rewrites it)"


# --- rendering ------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [58, 80])
def test_ticket_matches_golden_bytes_through_a_file_printer(tmp_path: Path, width: int) -> None:
    """A fixed slip printed to a file target gives exactly the committed bytes (and preview)."""
    target = tmp_path / "lp0"
    open_printer(f"file:{target}", width).print_ticket(SLIP)
    data = target.read_bytes()
    assert data == render_ticket(SLIP, width)
    check_golden(f"ticket_{width}.bin", data)
    check_golden(f"ticket_{width}.txt", read_escpos(data).preview(COLUMNS[width]).encode())


@pytest.mark.parametrize("width", [58, 80])
def test_ticket_reads_right(width: int) -> None:
    """The ticket starts by resetting the printer, prints the number at quad size, fits every
    line in the paper's columns, and ends with feed and a cut."""
    columns = COLUMNS[width]
    data = render_ticket(SLIP, width)
    printed = read_escpos(data)
    assert data.startswith(b"\x1b@")
    assert data.endswith(b"\x1bd\x06\x1dV\x00")  # feed 6 lines, full cut
    assert b"A-001" in data
    assert ("A-001", 4) in printed.lines
    for text, scale in printed.lines:
        assert len(text) * scale <= columns, (text, scale)
    texts = printed.texts()
    assert texts[0] == 'MPP Kotim "Habaring Hurung"'
    assert "-" * columns in texts
    assert "Layanan prioritas: Lansia" in texts
    assert "Di depan Anda: 12 orang" in texts
    assert "Perkiraan tunggu 35 menit" in texts
    # Wrapped, never cut mid-word: the words come back in order.
    body = " ".join(texts)
    assert "Perekaman KTP-el - cetak ulang - pengganti yang rusak" in body
    assert "Dinas Kependudukan dan Pencatatan Sipil Kotawaringin Timur" in body
    assert "Harap menunggu nomor Anda dipanggil" in body
    if width == 58:
        assert [t for t in texts if "2026" in t or "WIB" in t] == [
            "Senin, 30 November 2026",
            "09.00 WIB",  # Indonesian clock: 09.00
        ]
        assert max(len(t) for t in texts) == 32
    else:
        assert "Senin, 30 November 2026 09.00 WIB" in texts
        assert max(len(t) for t in texts) == 48


def test_rendering_is_deterministic_and_follows_the_slip() -> None:
    """Same slip, same bytes; any change on the slip changes them."""
    assert render_ticket(SLIP, 58) == render_ticket(replace(SLIP), 58)
    assert render_ticket(SLIP, 58) != render_ticket(SLIP, 80)
    assert render_ticket(replace(SLIP, code="A-002"), 58) != render_ticket(SLIP, 58)


def test_english_ticket() -> None:
    """lang "en": English fixed texts and day names; date order and time zone stay."""
    slip = replace(SLIP, lang="en", issued_at=datetime(2026, 12, 2, 14, 5, tzinfo=WIB))
    texts = read_escpos(render_ticket(slip, 80)).texts()
    assert "QUEUE NUMBER" in texts
    assert "Ahead of you: 12 people - Estimated wait 35 min" in texts  # fits one line
    assert "Wednesday, 2 December 2026 14:05 WIB" in texts
    assert "Priority service: Lansia" in texts
    assert "Please wait until your number is called" in texts
    one = read_escpos(render_ticket(replace(slip, ahead=1, eta_minutes=4), 58)).texts()
    at = one.index("Ahead of you: 1 person")  # too long for 58 mm together: two lines
    assert one[at + 1] == "Estimated wait 4 min"


def test_first_in_line_and_no_priority() -> None:
    """Nobody ahead: 'you are next' and no wait estimate; no priority line without a label."""
    slip = replace(SLIP, ahead=0, eta_minutes=0, priority_label=None)
    texts = read_escpos(render_ticket(slip, 58)).texts()
    assert "Anda antrean berikutnya" in texts
    assert not any("Perkiraan" in t or "prioritas" in t for t in texts)


def test_time_zone_abbreviation_comes_from_the_datetime() -> None:
    """A hall in Makassar (WITA) prints WITA, in its own local time."""
    slip = replace(SLIP, issued_at=datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Makassar")))
    assert "Senin, 30 November 2026 09.00 WITA" in read_escpos(render_ticket(slip, 80)).texts()


def test_long_code_is_scaled_down_to_fit() -> None:
    """A code too long for quad size on 58 mm is printed as large as still fits."""
    printed = read_escpos(render_ticket(replace(SLIP, code="PASPOR-0123"), 58))
    assert ("PASPOR-0123", 2) in printed.lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KTP-el · cetak – ulang — baru", "KTP-el - cetak - ulang - baru"),
        ("“Layanan” ‘prima’…", "\"Layanan\" 'prima'..."),
        ("Café Pelayanan Ñusantara", "Cafe Pelayanan Nusantara"),
        ("Paspor 護照 baru", "Paspor baru"),
        ("  dua\tbaris\nteks  ", "dua baris teks"),
        ("\x1b@\x1dV\x00", "@ V"),  # control bytes never reach the printer as commands
    ],
)
def test_ascii_safe(text: str, expected: str) -> None:
    """Text becomes one line of printable ASCII."""
    assert ascii_safe(text) == expected


def test_slip_rejects_what_cannot_be_printed_right() -> None:
    """A naive time, an unknown language, negative counts and an empty code are refused."""
    with pytest.raises(ValueError, match="timezone-aware"):
        replace(SLIP, issued_at=datetime(2026, 11, 30, 9, 0))  # noqa: DTZ001
    with pytest.raises(ValueError, match="lang"):
        replace(SLIP, lang="fr")
    with pytest.raises(ValueError, match="negative"):
        replace(SLIP, ahead=-1)
    with pytest.raises(ValueError, match="code"):
        replace(SLIP, code="護")


def test_unsupported_paper_width() -> None:
    """Only 58 and 80 mm paper exist for the kiosk."""
    with pytest.raises(ValueError, match="58 or 80"):
        render_ticket(SLIP, 76)
    with pytest.raises(ValueError, match="58 or 80"):
        open_printer("lp", 76)


def test_module_import_is_cheap_and_config_loads_no_escpos(tmp_path: Path) -> None:
    """Importing the printer module and validating a `printer` setting load no escpos (Pillow,
    qrcode) and no database library; rendering does load escpos."""
    code = """if True:
        import json, os, sys
        from datetime import UTC, datetime
        from mpp_tui.config import load_settings
        import mpp_tui.devices.printer as p
        os.environ["MPP_PRINTER"] = "tcp:10.0.0.9"
        assert load_settings().printer == "tcp:10.0.0.9"
        before = sorted({m.split(".")[0] for m in sys.modules})
        slip = p.TicketSlip("H", "A-001", "S", "G", datetime.now(UTC), 0, 0, None, "id")
        p.render_ticket(slip, 58)
        print(json.dumps([before, sorted({m.split(".")[0] for m in sys.modules})]))
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("MPP_")}
    env["XDG_CONFIG_HOME"] = str(tmp_path)  # no config file there
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    before, after = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"escpos", "PIL", "qrcode", "barcode", "sqlalchemy", "textual"} & set(before) == set()
    assert "escpos" in after  # sanity: the probe would see it


# --- file target ----------------------------------------------------------------------------------


def test_file_target_appends_tickets(tmp_path: Path) -> None:
    """Tickets accumulate in the file, as on a paper roll."""
    target = tmp_path / "roll.bin"
    printer = open_printer(f"file:{target}", 58)
    printer.print_ticket(SLIP)
    printer.print_ticket(replace(SLIP, code="A-002"))
    assert target.read_bytes() == render_ticket(SLIP, 58) + render_ticket(
        replace(SLIP, code="A-002"), 58
    )


def test_file_in_a_missing_directory(tmp_path: Path) -> None:
    """A missing device path is a 'printer not found', in both languages, on one line."""
    target = tmp_path / "usb" / "lp0"
    with pytest.raises(PrintFailed) as caught:
        open_printer(f"file:{target}", 80).print_ticket(SLIP)
    err = caught.value
    assert err.message("id") == (
        f"Printer tiket tidak ditemukan ({target}); periksa kabel dan daya printer."
    )
    assert err.message("en") == f"Ticket printer not found ({target}); check its cable and power."
    assert err.title("en") == "Ticket printer"
    assert not target.parent.exists()


def test_missing_device_under_dev_is_not_created() -> None:
    """An unplugged /dev printer stays missing: no regular file is created in its place."""
    target = Path(f"/dev/mpp-test-lp-{os.getpid()}")
    try:
        with pytest.raises(PrintFailed) as caught:
            open_printer(f"file:{target}", 58).print_ticket(SLIP)
        assert caught.value.key == "print.err.not_found"
        assert not target.exists()
    finally:
        target.unlink(missing_ok=True)


@pytest.fixture
def unwritable(tmp_path: Path) -> Iterator[Path]:
    """A path this process may not write, even as root (sysfs ignores root's override)."""
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
        yield locked / "lp0"
        locked.chmod(stat.S_IRWXU)
        return
    notes = Path("/sys/kernel/notes")
    if not notes.exists():
        pytest.skip("running as root without /sys/kernel/notes: nothing is unwritable")
    yield notes


def test_unwritable_file(unwritable: Path) -> None:
    """No permission on the device is reported as such."""
    with pytest.raises(PrintFailed) as caught:
        open_printer(f"file:{unwritable}", 58).print_ticket(SLIP)
    assert caught.value.message("en") == (
        f"No permission to write to the ticket printer ({unwritable})."
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_device_that_fails_writes() -> None:
    """A write error becomes one plain line with the system's reason."""
    with pytest.raises(PrintFailed) as caught:
        open_printer("file:/dev/full", 58).print_ticket(SLIP)
    assert caught.value.message("en") == "Printing to /dev/full failed: No space left on device"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_device_that_stops_taking_data_times_out(tmp_path: Path) -> None:
    """A device that accepts nothing more (a FIFO nobody reads) fails at the timeout, and a
    device with nobody behind it (a FIFO without reader) is 'not found'."""
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    printer = TicketPrinter(parse_printer(f"file:{fifo}"), 58, timeout=0.3)
    with pytest.raises(PrintFailed) as caught:
        printer.send(b"x")
    assert caught.value.key == "print.err.not_found"

    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        started = time.monotonic()
        with pytest.raises(PrintFailed) as caught:
            printer.send(b"x" * (4 << 20))
        assert 0.25 < time.monotonic() - started < 3
        assert caught.value.message("en") == (
            f"Ticket printer {fifo} did not respond within 0.3 seconds; check paper and power."
        )
    finally:
        os.close(reader)


# --- tcp target -----------------------------------------------------------------------------------


class RawPrinterServer:
    """A JetDirect-like server on 127.0.0.1: accepts one job and records its bytes.

    Args:
        read: read the job (False: accept and never read, like a jammed printer).
        close_at_eof: close when the client half-closes (False: keep the line open).
    """

    def __init__(self, *, read: bool = True, close_at_eof: bool = True) -> None:
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if not read:  # small buffers so a sender blocks quickly
            self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.port: int = self.listener.getsockname()[1]
        self.received = bytearray()
        self.done = threading.Event()
        self.release = threading.Event()
        self._read = read
        self._close_at_eof = close_at_eof
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except OSError:  # closed before anyone connected
            return
        with conn:
            if self._read:
                while chunk := conn.recv(65536):
                    self.received += chunk
            self.done.set()
            if not self._close_at_eof or not self._read:
                self.release.wait(10)

    def close(self) -> None:
        self.release.set()
        self.listener.close()
        self.thread.join(10)


@pytest.fixture
def server() -> Iterator[RawPrinterServer]:
    srv = RawPrinterServer()
    yield srv
    srv.close()


def test_tcp_printer_receives_exactly_the_ticket(server: RawPrinterServer) -> None:
    """The ticket's bytes arrive whole over a raw socket, and the connection is closed."""
    open_printer(f"tcp:127.0.0.1:{server.port}", 80).print_ticket(SLIP)
    assert server.done.wait(5)
    assert bytes(server.received) == render_ticket(SLIP, 80)


def test_tcp_printer_that_keeps_the_line_open() -> None:
    """A printer that does not close after the job still gets it all, without a long wait."""
    srv = RawPrinterServer(close_at_eof=False)
    try:
        started = time.monotonic()
        open_printer(f"tcp:127.0.0.1:{srv.port}", 58).print_ticket(SLIP)
        assert time.monotonic() - started < 3
        assert srv.done.wait(5)
        assert bytes(srv.received) == render_ticket(SLIP, 58)
    finally:
        srv.close()


def test_tcp_refused_fails_quickly() -> None:
    """Nobody listening: 'refused', at once, naming host and port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
        port = taken.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(PrintFailed) as caught:
            open_printer(f"tcp:127.0.0.1:{port}", 58).print_ticket(SLIP)
        assert time.monotonic() - started < 1
    assert caught.value.message("id") == (
        f"Printer tiket 127.0.0.1:{port} menolak sambungan; periksa apakah printer menyala."
    )
    assert "\n" not in caught.value.message("en")


def test_tcp_printer_that_stops_reading_times_out() -> None:
    """A jammed printer that takes no more data fails at the timeout."""
    srv = RawPrinterServer(read=False)
    try:
        printer = TicketPrinter(parse_printer(f"tcp:127.0.0.1:{srv.port}"), 58, timeout=0.5)
        started = time.monotonic()
        with pytest.raises(PrintFailed) as caught:
            printer.send(b"x" * (64 << 20))
        assert 0.4 < time.monotonic() - started < 5
        assert caught.value.key == "print.err.timeout"
    finally:
        srv.close()


def test_tcp_unknown_host() -> None:
    """A host name that does not resolve is 'cannot be reached'."""
    with pytest.raises(PrintFailed) as caught:
        open_printer("tcp:printer.invalid", 58).print_ticket(SLIP)
    assert caught.value.message("en") == (
        "Ticket printer printer.invalid:9100 cannot be reached; check the network and its address."
    )


# --- lp target ------------------------------------------------------------------------------------


def fake_lp(bin_dir: Path, body: str) -> None:
    """Write an executable `lp` shell script into `bin_dir`."""
    bin_dir.mkdir(exist_ok=True)
    script = bin_dir / "lp"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)


@pytest.fixture
def lp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory put first on PATH, for a fake `lp`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return bin_dir


def test_lp_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No `lp` on PATH: a plain 'install CUPS' message."""
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PrintFailed) as caught:
        open_printer("lp:Kiosk", 58).print_ticket(SLIP)
    assert caught.value.message("en") == (
        "The lp command is missing; install CUPS or change the printer setting."
    )


@pytest.mark.parametrize(
    ("spec", "args"), [("lp:Kiosk_1", ["-d", "Kiosk_1", "-o", "raw"]), ("lp", ["-o", "raw"])]
)
def test_lp_gets_the_bytes_raw(lp_dir: Path, spec: str, args: list[str]) -> None:
    """`lp` receives the ticket on stdin, as a raw job, for the named queue."""
    fake_lp(lp_dir, f'printf "%s\\n" "$@" > "{lp_dir}/args"\ncat > "{lp_dir}/job"')
    open_printer(spec, 58).print_ticket(SLIP)
    assert (lp_dir / "job").read_bytes() == render_ticket(SLIP, 58)
    assert (lp_dir / "args").read_text(encoding="utf-8").splitlines() == args


def test_lp_rejecting_the_job(lp_dir: Path) -> None:
    """`lp` failing: its own first error line is the reason."""
    fake_lp(
        lp_dir,
        'cat > /dev/null\necho "lp: The printer or class does not exist." >&2\n'
        'echo "second line" >&2\nexit 1',
    )
    with pytest.raises(PrintFailed) as caught:
        open_printer("lp:Nope", 58).print_ticket(SLIP)
    assert caught.value.message("en") == (
        "Print queue lp:Nope rejected the ticket: lp: The printer or class does not exist."
    )


def test_lp_hanging_times_out(lp_dir: Path) -> None:
    """An `lp` that never returns is stopped at the timeout."""
    fake_lp(lp_dir, "exec sleep 30")
    printer = TicketPrinter(parse_printer("lp"), 58, timeout=0.3)
    started = time.monotonic()
    with pytest.raises(PrintFailed) as caught:
        printer.print_ticket(SLIP)
    assert time.monotonic() - started < 3
    assert caught.value.key == "print.err.timeout"


# --- parse_printer and config ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "target"),
    [
        ("file:/dev/usb/lp0", PrinterTarget(kind="file", path=Path("/dev/usb/lp0"))),
        (" FILE: tickets.bin ", PrinterTarget(kind="file", path=Path("tickets.bin"))),
        ("tcp:192.168.1.50", PrinterTarget(kind="tcp", host="192.168.1.50", port=9100)),
        ("tcp:printer.lan:9101", PrinterTarget(kind="tcp", host="printer.lan", port=9101)),
        ("tcp:[fd00::7]:9100", PrinterTarget(kind="tcp", host="fd00::7", port=9100)),
        ("tcp:[fd00::7]", PrinterTarget(kind="tcp", host="fd00::7", port=DEFAULT_TCP_PORT)),
        ("lp", PrinterTarget(kind="lp")),
        ("lp:Kiosk-1", PrinterTarget(kind="lp", queue="Kiosk-1")),
    ],
)
def test_parse_printer_accepts(spec: str, target: PrinterTarget) -> None:
    """Each accepted form parses to its target."""
    assert parse_printer(spec) == target


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "usb:0",
        "/dev/usb/lp0",
        "file:",
        "tcp:",
        "tcp::9100",
        "tcp:host:",
        "tcp:host:0",
        "tcp:host:65536",
        "tcp:host:port",
        "tcp:fd00::7",
        "tcp:[fd00::7",
        "tcp:[fd00::7]9100",
        "tcp:user@host",
        "lp:",
        "lp:two words",
        "lp:a/b",
    ],
)
def test_parse_printer_rejects(spec: str) -> None:
    """A bad spec is named in the error together with the accepted forms."""
    with pytest.raises(ValueError, match="file:/dev/usb/lp0, tcp:HOST") as caught:
        parse_printer(spec)
    assert repr(spec) in str(caught.value)


def test_target_labels() -> None:
    """Targets are named in messages the way the setting writes them."""
    assert parse_printer("file:/dev/usb/lp0").label() == "/dev/usb/lp0"
    assert parse_printer("tcp:10.0.0.9").label() == "10.0.0.9:9100"
    assert parse_printer("tcp:[fd00::7]:9101").label() == "[fd00::7]:9101"
    assert parse_printer("lp").label() == "lp"
    assert parse_printer("lp:Kiosk").label() == "lp:Kiosk"


@pytest.fixture
def no_mpp_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings come from the test's config file only."""
    for name in list(os.environ):
        if name.startswith("MPP_"):
            monkeypatch.delenv(name)


@pytest.mark.usefixtures("no_mpp_env")
def test_config_rejects_a_bad_printer_with_file_and_line(tmp_path: Path) -> None:
    """A bad `printer` in the config file is reported with its file, line and field."""
    cfg = tmp_path / "config.toml"
    cfg.write_text('lang = "en"\nprinter = "usb:0"\nprinter_width = 58\n', encoding="utf-8")
    with pytest.raises(ReferenceDataError) as caught:
        load_settings(cfg)
    assert caught.value.key == "err.config_invalid"
    [problem] = caught.value.problems
    assert problem.startswith(f"{cfg}:2: printer: ")
    assert "'usb:0'" in problem
    assert "tcp:HOST[:PORT]" in problem


@pytest.mark.usefixtures("no_mpp_env")
def test_config_accepts_printers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A good `printer` is kept; an empty MPP_PRINTER switches the file's printer off."""
    cfg = tmp_path / "config.toml"
    cfg.write_text('printer = " tcp:10.0.0.9:9100 "\nprinter_width = 58\n', encoding="utf-8")
    settings = load_settings(cfg)
    assert settings.printer == "tcp:10.0.0.9:9100"
    assert settings.printer_width == 58
    monkeypatch.setenv("MPP_PRINTER", "")
    assert load_settings(cfg).printer is None
    monkeypatch.setenv("MPP_PRINTER", "lp:bad queue")
    cfg.write_text("printer_width = 58\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError) as caught:
        load_settings(cfg)
    assert caught.value.problems[0].startswith("MPP_PRINTER: printer: ")

"""The kiosk's thermal ticket printer: ESC/POS rendering and raw transport (file, tcp, lp)."""

from __future__ import annotations

import errno
import os
import select
import socket
import subprocess
import textwrap
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final, Literal

from mpp_tui.domain.dates import long_date
from mpp_tui.domain.errors import MppError
from mpp_tui.i18n import LANGS, formats, t

# Only the standard library and light mpp modules are imported here: config.py imports this
# module to validate a `printer` setting before any command runs, and python-escpos pulls in
# Pillow, qrcode and python-barcode. escpos is imported inside render_ticket.

DEFAULT_TCP_PORT: Final = 9100
"""Raw printing port (HP JetDirect / AppSocket) that network ESC/POS printers listen on."""
DEFAULT_TIMEOUT: Final = 5.0
"""Seconds a print may take before it is reported as failed."""
COLUMNS: Final[dict[int, int]] = {58: 32, 80: 48}
"""Characters per line in font A, by paper width in millimetres."""
ACCEPTED_FORMS: Final = "file:/dev/usb/lp0, tcp:HOST[:PORT] or lp[:QUEUE]"

# After sending, wait this long at most for the printer to close its side (see _send_tcp).
_EOF_GRACE: Final = 1.0
# Never create a file in these trees: a missing /dev/usb/lp0 means "printer unplugged", and
# creating a regular file there (we may run as root) would hide the device when it comes back.
_NO_CREATE_ROOTS: Final = frozenset({"/dev", "/proc", "/sys"})

# Punctuation NFKD does not decompose but that has an obvious ASCII stand-in.
_PUNCTUATION: Final = str.maketrans(
    {
        "·": "-",
        "•": "-",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
        "‘": "'",
        "’": "'",
        "‚": ",",
        "“": '"',
        "”": '"',
        "„": '"',
        "…": "...",
        "×": "x",
    }
)


@dataclass(frozen=True)
class TicketSlip:
    """What goes on one printed queue ticket (reference data and queue facts, no visitor data)."""

    hall_name: str
    code: str
    """Ticket number as called, e.g. `A-001`."""
    service_name: str
    agency_name: str
    issued_at: datetime
    """When the ticket was issued, timezone-aware, in the hall's time zone."""
    ahead: int
    """People waiting before this ticket."""
    eta_minutes: int
    """Estimated wait in minutes."""
    priority_label: str | None
    """Priority category shown on the ticket (`Lansia`), or None."""
    lang: str
    """Language of the ticket's fixed texts: "id" or "en"."""

    def __post_init__(self) -> None:
        if self.issued_at.utcoffset() is None:
            raise ValueError("TicketSlip.issued_at must be timezone-aware")
        if self.lang not in LANGS:
            raise ValueError(f"TicketSlip.lang must be one of {LANGS}, not {self.lang!r}")
        if self.ahead < 0 or self.eta_minutes < 0:
            raise ValueError("TicketSlip.ahead and eta_minutes cannot be negative")
        if not ascii_safe(self.code):
            raise ValueError(f"TicketSlip.code {self.code!r} has nothing printable")


class PrintFailed(MppError):
    """The ticket could not be printed; the message is one plain line for the visitor or staff.

    Args:
        key: catalog key of the reason (`print.err.*`).
        **params: values for the reason's placeholders (`target`, `seconds`, `detail`).
    """

    title_key = "print.title"


@dataclass(frozen=True)
class PrinterTarget:
    """Where tickets go, parsed from the `printer` setting."""

    kind: Literal["file", "tcp", "lp"]
    path: Path | None = None
    """Device or plain file (kind "file")."""
    host: str | None = None
    """Printer host name or address (kind "tcp")."""
    port: int = DEFAULT_TCP_PORT
    """Raw printing port (kind "tcp")."""
    queue: str | None = None
    """CUPS queue (kind "lp"); None prints to the default destination."""

    def label(self) -> str:
        """The target as named in messages: a path, `host:port`, `lp` or `lp:QUEUE`."""
        if self.kind == "file":
            return str(self.path)
        if self.kind == "tcp":
            host = f"[{self.host}]" if self.host and ":" in self.host else str(self.host)
            return f"{host}:{self.port}"
        return f"lp:{self.queue}" if self.queue else "lp"


def parse_printer(spec: str) -> PrinterTarget:
    """Parse a `printer` setting.

    Args:
        spec: `file:PATH`, `tcp:HOST[:PORT]` (port 9100 by default; IPv6 as `[::1]:9100`),
            `lp` or `lp:QUEUE`.

    Returns:
        The target.

    Raises:
        ValueError: the spec is none of the accepted forms; the message names it and them.
    """

    def bad(why: str) -> ValueError:
        return ValueError(f"invalid printer {spec!r}: {why}; use {ACCEPTED_FORMS}")

    text = spec.strip()
    kind, colon, rest = text.partition(":")
    kind = kind.strip().lower()
    if kind == "lp":
        if not colon:
            return PrinterTarget(kind="lp")
        queue = rest.strip()
        if not queue or any(c.isspace() or c in "/#" for c in queue):
            raise bad("a CUPS queue name is one word without '/' or '#'")
        return PrinterTarget(kind="lp", queue=queue)
    if kind == "file":
        if not rest.strip():
            raise bad("the file path is missing")
        return PrinterTarget(kind="file", path=Path(rest.strip()))
    if kind == "tcp":
        try:
            host, port = _host_port(rest.strip())
        except ValueError as exc:
            raise bad(str(exc)) from None
        return PrinterTarget(kind="tcp", host=host, port=port)
    raise bad(f"unknown kind {kind!r}" if colon else "no kind given" if text else "it is empty")


def _host_port(text: str) -> tuple[str, int]:
    """Split `HOST[:PORT]` or `[IPV6][:PORT]`; ValueError says what is wrong."""
    if text.startswith("["):
        host, close, tail = text[1:].partition("]")
        if not close or (tail and not tail.startswith(":")):
            raise ValueError("an IPv6 address is written as [ADDRESS]:PORT")
        has_port, port_text = bool(tail), tail[1:]
    elif text.count(":") > 1:
        raise ValueError("an IPv6 address is written as [ADDRESS]:PORT")
    else:
        host, colon, port_text = text.partition(":")
        has_port = bool(colon)
    if not host or any(c.isspace() or c in "/@" for c in host):
        raise ValueError("the host name is missing or malformed")
    if not has_port:
        return host, DEFAULT_TCP_PORT
    # "tcp:host:" is a port left out by mistake, not a request for the default.
    if not (port_text.isascii() and port_text.isdigit()) or not 1 <= int(port_text) <= 65535:
        raise ValueError("the port must be a number from 1 to 65535")
    return host, int(port_text)


def ascii_safe(text: str) -> str:
    """Reduce `text` to one line of printable ASCII (every ESC/POS code page prints it).

    Dashes and quotes become their ASCII forms, accents are dropped (é -> e), anything else
    without an ASCII form disappears, and runs of whitespace become one space.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_PUNCTUATION))
    kept = "".join(c if " " <= c <= "~" else " " if c.isspace() else "" for c in decomposed)
    return " ".join(kept.split())


def columns_for(width_mm: int) -> int:
    """Characters per line in font A on paper `width_mm` wide (58 or 80).

    Raises:
        ValueError: another width.
    """
    try:
        return COLUMNS[width_mm]
    except KeyError:
        raise ValueError(f"paper width must be 58 or 80 mm, not {width_mm}") from None


def _fit(parts: list[str], columns: int, sep: str = " - ") -> list[str]:
    """`parts` on one line when they fit, otherwise each part wrapped on its own lines."""
    joined = sep.join(parts)
    if len(joined) <= columns:
        return [joined]
    return [line for part in parts for line in textwrap.wrap(part, columns)]


def _when(issued_at: datetime, lang: str) -> list[str]:
    """Date and time as Indonesians write them: `Senin, 30 November 2026` and `09:00 WIB`."""
    zone = issued_at.tzname() or issued_at.strftime("UTC%z")
    return [long_date(issued_at.date(), lang), f"{formats(lang).clock(issued_at)} {zone}"]


def _waiting(slip: TicketSlip) -> list[str]:
    if slip.ahead == 0:
        return [t("print.ahead_none", slip.lang)]
    key = "print.ahead_one" if slip.ahead == 1 else "print.ahead"
    parts = [t(key, slip.lang, n=slip.ahead)]
    if slip.eta_minutes > 0:
        parts.append(t("print.eta", slip.lang, minutes=slip.eta_minutes))
    return parts


def render_ticket(slip: TicketSlip, width_mm: int) -> bytes:
    """The ESC/POS bytes of one ticket, ending with feed and cut.

    Deterministic: the same slip and width always give the same bytes. Every text is reduced to
    ASCII and wrapped to the paper's columns in font A, so nothing depends on the printer's code
    page or wraps mid-word on paper.

    Args:
        slip: what to print.
        width_mm: paper width, 58 or 80.

    Raises:
        ValueError: an unsupported paper width.
    """
    columns = columns_for(width_mm)
    import escpos.printer  # type: ignore[import-untyped]  # heavy (Pillow, qrcode): load late

    out = escpos.printer.Dummy()

    def lines(*texts: str) -> None:
        for text in texts:
            for line in textwrap.wrap(ascii_safe(text), columns) or [""]:
                out.textln(line)

    lang = slip.lang
    out.hw("INIT")  # forget whatever a previous job left set (size, bold, alignment)
    out.set(align="center", font="a")
    out.set(bold=True, double_height=True)  # double height keeps the columns
    lines(slip.hall_name)
    out.set(normal_textsize=True, bold=False)
    out.textln("-" * columns)
    lines(t("print.number", lang))
    code = ascii_safe(slip.code)
    scale = max(1, min(4, columns // len(code)))  # quad size unless the code is unusually long
    out.set(custom_size=True, width=scale, height=scale)
    out.textln(code)
    out.set(custom_size=True, width=1, height=1)
    out.set(normal_textsize=True)
    out.ln()
    out.set(bold=True)
    lines(slip.service_name)
    out.set(bold=False)
    lines(slip.agency_name)
    if slip.priority_label:
        out.set(bold=True)
        lines(t("print.priority", lang, label=ascii_safe(slip.priority_label)))
        out.set(bold=False)
    out.textln("-" * columns)
    for line in _fit([ascii_safe(p) for p in _waiting(slip)], columns):
        out.textln(line)
    for line in _fit(_when(slip.issued_at, lang), columns, sep=" "):
        out.textln(ascii_safe(line))
    out.ln()
    lines(t("print.footer", lang))
    out.cut()
    return bytes(out.output)


class TicketPrinter:
    """Sends tickets to one printer; each ticket is its own short job.

    Nothing is held open between tickets: a TCP connection kept for hours goes stale behind NAT
    and printer sleep, and an open device file would block CUPS or a test print by a technician.

    The transport is plain Python rather than escpos's File/Network/LP classes, because those
    truncate the file instead of appending, hide `lp`'s exit status and error text, query
    `lpstat` (missing without CUPS), wrap every error with a traceback-like message and close
    only from `__del__`; here every failure maps to one PrintFailed reason and every handle is
    closed before print_ticket returns.

    Args:
        target: where tickets go.
        width_mm: paper width, 58 or 80.
        timeout: seconds one ticket may take, connection included.
    """

    def __init__(
        self, target: PrinterTarget, width_mm: int, *, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        columns_for(width_mm)  # refuse an unsupported width now, not on the first ticket
        self.target = target
        self.width_mm = width_mm
        self.timeout = timeout

    def print_ticket(self, slip: TicketSlip) -> None:
        """Render and print one ticket.

        Raises:
            PrintFailed: the printer is missing, refuses, times out or rejects the job.
        """
        self.send(render_ticket(slip, self.width_mm))

    def send(self, data: bytes) -> None:
        """Send raw bytes to the printer as one job.

        Raises:
            PrintFailed: the printer is missing, refuses, times out or rejects the job.
        """
        deadline = time.monotonic() + self.timeout
        if self.target.kind == "file":
            self._send_file(data, deadline)
        elif self.target.kind == "tcp":
            self._send_tcp(data, deadline)
        else:
            self._send_lp(data, deadline)

    def _failed(self, key: str, **params: object) -> PrintFailed:
        return PrintFailed(key, target=self.target.label(), **params)

    def _timed_out(self) -> PrintFailed:
        return self._failed("print.err.timeout", seconds=f"{self.timeout:g}")

    def _os_error(self, exc: OSError) -> PrintFailed:
        if exc.errno in {errno.ENOENT, errno.ENODEV, errno.ENXIO}:
            return self._failed("print.err.not_found")
        if exc.errno in {errno.EACCES, errno.EPERM, errno.EROFS}:
            return self._failed("print.err.denied")
        if isinstance(exc, TimeoutError):
            return self._timed_out()
        if isinstance(exc, ConnectionRefusedError):
            return self._failed("print.err.refused")
        if isinstance(exc, socket.gaierror) or exc.errno in {
            errno.EHOSTUNREACH,
            errno.ENETUNREACH,
            errno.EHOSTDOWN,
        }:
            return self._failed("print.err.unreachable")
        return self._failed("print.err.io", detail=_one_line(exc.strerror or str(exc)))

    def _send_file(self, data: bytes, deadline: float) -> None:
        # Non-blocking so a printer that stops taking data (offline, paper out) cannot hang the
        # kiosk past the deadline; append so tickets accumulate in a plain file, as on paper.
        path = self.target.path
        assert path is not None
        flags = os.O_WRONLY | os.O_APPEND | getattr(os, "O_NONBLOCK", 0)
        if str(Path(*path.absolute().parts[:2])) not in _NO_CREATE_ROOTS:
            flags |= os.O_CREAT
        try:
            fd = os.open(path, flags, 0o644)
        except OSError as exc:
            raise self._os_error(exc) from None
        try:
            view = memoryview(data)
            while view:
                try:
                    view = view[os.write(fd, view) :]
                except BlockingIOError:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise self._timed_out() from None
                    _wait_writable(fd, remaining)
        except OSError as exc:
            raise self._os_error(exc) from None
        finally:
            os.close(fd)

    def _send_tcp(self, data: bytes, deadline: float) -> None:
        host, port = self.target.host, self.target.port
        assert host is not None
        try:
            with socket.create_connection((host, port), timeout=self.timeout) as sock:
                sock.settimeout(max(deadline - time.monotonic(), 0.001))
                sock.sendall(data)
                # Half-close and wait briefly for the printer to close too (as CUPS' socket
                # backend does): closing with unread status bytes pending would send a reset
                # that can discard the end of the job.
                sock.shutdown(socket.SHUT_WR)
                _drain_until_eof(sock, min(deadline, time.monotonic() + _EOF_GRACE))
        except OSError as exc:
            raise self._os_error(exc) from None

    def _send_lp(self, data: bytes, deadline: float) -> None:
        args = ["lp"]
        if self.target.queue:
            args += ["-d", self.target.queue]
        args += ["-o", "raw"]
        try:
            done = subprocess.run(
                args,
                input=data,
                capture_output=True,
                timeout=max(deadline - time.monotonic(), 0.001),
                check=False,
            )
        except FileNotFoundError:
            raise self._failed("print.err.no_lp") from None
        except subprocess.TimeoutExpired:
            raise self._timed_out() from None
        except OSError as exc:
            raise self._failed("print.err.lp_failed", detail=_one_line(str(exc))) from None
        if done.returncode != 0:
            said = _one_line(done.stderr.decode("utf-8", errors="replace"))
            detail = said or f"exit status {done.returncode}"
            raise self._failed("print.err.lp_failed", detail=detail)


def _wait_writable(fd: int, seconds: float) -> None:
    """Block until `fd` takes data or `seconds` pass (poll: fd numbers above 1023 work too)."""
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(fd, select.POLLOUT)
        poller.poll(max(int(seconds * 1000), 1))
    else:  # pragma: no cover - platforms without poll()
        select.select([], [fd], [], seconds)


def _drain_until_eof(sock: socket.socket, until: float) -> None:
    """Read and drop what the printer sends (status bytes) until it closes or `until` passes."""
    try:
        while (left := until - time.monotonic()) > 0:
            sock.settimeout(left)
            if not sock.recv(1024):
                return
    except (TimeoutError, ConnectionResetError):
        # The whole job was sent before the half-close; a printer that keeps the line open, or
        # resets it instead of closing, is not a failed print.
        return


def _one_line(text: str, limit: int = 160) -> str:
    """The first non-blank line of `text`, shortened: error details stay one readable line."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 3] + "..."


def open_printer(spec: str, width_mm: int, *, timeout: float = DEFAULT_TIMEOUT) -> TicketPrinter:
    """The printer named by a `printer` setting.

    Nothing is contacted yet (the printer may be switched on after the kiosk); failures show up
    on the first ticket as PrintFailed.

    Args:
        spec: the `printer` setting (see :func:`parse_printer`).
        width_mm: the `printer_width` setting, 58 or 80.
        timeout: seconds one ticket may take.

    Raises:
        ValueError: a malformed spec or an unsupported width.
    """
    return TicketPrinter(parse_printer(spec), width_mm, timeout=timeout)

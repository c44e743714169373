"""Reference data (mpp_tui.db.seed): validated TOML, loaded idempotently, on both backends."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import SQLModel

import mpp_tui.db.tables  # noqa: F401  (registers every table)
from mpp_tui.db.seed import default_seed_file, load_seed, read_seed
from mpp_tui.domain.enums import TicketStatus
from mpp_tui.domain.errors import NotFound, ReferenceDataError
from mpp_tui.services.facade import Hall

REFERENCE_TABLES = (
    "hall",
    "agency",
    "service",
    "counter",
    "counter_service",
    "outcome",
    "priority_category",
)
HISTORY_TABLES = ("ticket", "ticket_event", "number_counter", "counter_event")
SEED_TEXT = default_seed_file().read_text(encoding="utf-8")


def snapshot(engine: Engine, tables: tuple[str, ...] | None = None) -> dict[str, list[Any]]:
    """Every row of `tables` (default: all), ordered by primary key."""
    out: dict[str, list[Any]] = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            if tables is not None and table.name not in tables:
                continue
            query = select(table).order_by(*table.primary_key.columns)
            out[table.name] = [tuple(row) for row in conn.execute(query)]
    return out


def ids_by_code(engine: Engine, table: str) -> dict[str, int]:
    """code -> id of a reference table."""
    t = SQLModel.metadata.tables[table]
    with engine.connect() as conn:
        return {code: rid for rid, code in conn.execute(select(t.c.id, t.c.code))}


def row(engine: Engine, table: str, code: str) -> Any:
    """One reference row by code."""
    t = SQLModel.metadata.tables[table]
    with engine.connect() as conn:
        return conn.execute(select(t).where(t.c.code == code)).one()


def links(engine: Engine, counter: str) -> set[str]:
    """Service codes a counter serves according to counter_service."""
    md = SQLModel.metadata.tables
    cs, ct, sv = md["counter_service"], md["counter"], md["service"]
    with engine.connect() as conn:
        return set(
            conn.execute(
                select(sv.c.code)
                .join(cs, cs.c.service_id == sv.c.id)
                .join(ct, ct.c.id == cs.c.counter_id)
                .where(ct.c.code == counter)
            ).scalars()
        )


def replace_once(text: str, old: str, new: str) -> str:
    """Replace `old`, which must occur exactly once (so a test never edits the wrong thing)."""
    assert text.count(old) == 1, f"expected exactly one {old!r} in the seed file"
    return text.replace(old, new)


def replace_after(text: str, anchor: str, old: str, new: str) -> str:
    """Replace the first `old` after the (unique) `anchor`."""
    assert text.count(anchor) == 1, f"expected exactly one {anchor!r} in the seed file"
    start = text.index(anchor)
    at = text.index(old, start)
    return text[:at] + new + text[at + len(old) :]


def write(tmp_path: Path, text: str, name: str = "mpp.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


L05_BLOCK = """[[counters]]
code = "L05"
name = "Loket 5"
agency = "SAMSAT"
zone = "A"
services = ["PKB_TAHUNAN"]

"""
KTP_NAME = 'name = "Perekaman & Cetak KTP-el"'
KTP_QUOTA = "daily_quota = 30             # sample: limited by daily blank-card stock"


# --- idempotent reload ------------------------------------------------------------------------


def test_reload_is_idempotent(engine: Engine) -> None:
    """Loading kotim.toml again (twice) changes no row: same counts, same ids, same values."""
    spec = read_seed(default_seed_file())
    before = snapshot(engine)
    ids_before = {t: ids_by_code(engine, t) for t in ("agency", "service", "counter", "outcome")}
    assert len(before["service"]) > 50
    assert len(before["counter"]) == 18

    for _ in range(2):
        counts = load_seed(engine, spec)
        assert counts == {
            "agencies": len(spec.agencies),
            "services": sum(len(a.services) for a in spec.agencies),
            "counters": len(spec.counters),
        }
    after = snapshot(engine)
    assert {t: len(rows) for t, rows in after.items()} == {
        t: len(rows) for t, rows in before.items()
    }
    assert ids_before == {t: ids_by_code(engine, t) for t in ids_before}
    assert after == before


# --- modified file ----------------------------------------------------------------------------


def test_modified_file_updates_settings_and_keeps_history(
    queue: Hall, engine: Engine, tmp_path: Path
) -> None:
    """Renaming a service, changing its quota and the hall's burst, moving a service between
    counters and dropping counter L05 updates rows in place (same ids), makes L05 inactive
    rather than deleting it, and leaves every ticket and event untouched."""
    first = queue.issuing.issue_ticket(service="KTP").ticket
    served = queue.issuing.issue_ticket(service="PKB_TAHUNAN").ticket
    waiting = queue.issuing.issue_ticket(service="PKB_TAHUNAN").ticket
    queue.sessions.open_counter(counter="L05", officer="budi")
    assert queue.calls.call_next(counter="L05", officer="budi").id == served.id
    queue.calls.finish(counter="L05", officer="budi")
    queue.sessions.close_counter(counter="L05", officer="budi")

    ids_before = {t: ids_by_code(engine, t) for t in ("agency", "service", "counter", "outcome")}
    history_before = snapshot(engine, HISTORY_TABLES)
    assert len(history_before["ticket"]) == 3

    text = replace_once(SEED_TEXT, KTP_NAME, 'name = "Perekaman KTP-el (blangko baru)"')
    text = replace_once(text, KTP_QUOTA, "daily_quota = 45")
    text = replace_once(text, "priority_burst = 3 ", "priority_burst = 5 ")
    text = replace_once(text, L05_BLOCK, "")
    text = replace_once(
        text, 'services = ["KTP", "KK", "PINDAH"]', 'services = ["KTP", "KK"]'
    )  # L01 no longer serves PINDAH…
    text = replace_once(
        text,
        'services = ["KK", "AKTA_LAHIR", "AKTA_MATI"]',
        'services = ["KK", "AKTA_LAHIR", "AKTA_MATI", "PINDAH"]',
    )  # …L02 does
    counts = load_seed(engine, read_seed(write(tmp_path, text)))

    assert counts["counters"] == 17
    assert ids_by_code(engine, "counter") == ids_before["counter"]  # L05 kept, same id
    assert {t: ids_by_code(engine, t) for t in ids_before} == ids_before
    ktp = row(engine, "service", "KTP")
    assert ktp.name == "Perekaman KTP-el (blangko baru)"
    assert ktp.daily_quota == 45
    assert ktp.active
    assert row(engine, "hall", "KOTIM").priority_burst == 5
    assert not row(engine, "counter", "L05").active
    assert row(engine, "counter", "L06").active
    assert links(engine, "L01") == {"KTP", "KK"}
    assert links(engine, "L02") == {"KK", "AKTA_LAHIR", "AKTA_MATI", "PINDAH"}
    assert snapshot(engine, HISTORY_TABLES) == history_before

    # The running services see the change once they reload reference data.
    ref = queue.ref(fresh=True)
    assert ref.priority_burst == 5
    assert queue.ctx.service("KTP").daily_quota == 45
    with pytest.raises(NotFound):
        queue.ctx.counter("L05")
    codes = [c.code for c in queue.tickets.counters()]
    assert "L05" not in codes
    assert len(codes) == 17
    # History still resolves the dropped counter; old tickets show the new service name.
    assert queue.tickets.ticket(code=served.id).counter_code == "L05"
    assert queue.tickets.ticket(code=served.id).status is TicketStatus.DONE
    assert queue.tickets.ticket(code=first.id).service_name == "Perekaman KTP-el (blangko baru)"
    # The waiting ticket is still in the queue and another counter of its service calls it.
    queue.sessions.open_counter(counter="L06", officer="sari")
    assert queue.calls.call_next(counter="L06", officer="sari").id == waiting.id
    assert queue.issuing.issue_ticket(service="KTP").ticket.code == "A-002"


def test_dropped_service_becomes_inactive(queue: Hall, engine: Engine, tmp_path: Path) -> None:
    """A service removed from the file is kept, inactive: its tickets stay, new ones are refused."""
    old = queue.issuing.issue_ticket(service="PINDAH").ticket
    block_start = SEED_TEXT.index('  [[agencies.services]]\n  code = "PINDAH"')
    block_end = SEED_TEXT.index("[[agencies]]", block_start)
    text = SEED_TEXT[:block_start] + SEED_TEXT[block_end:]
    text = replace_once(text, 'services = ["KTP", "KK", "PINDAH"]', 'services = ["KTP", "KK"]')
    pindah_id = ids_by_code(engine, "service")["PINDAH"]

    load_seed(engine, read_seed(write(tmp_path, text)))

    assert ids_by_code(engine, "service")["PINDAH"] == pindah_id
    assert not row(engine, "service", "PINDAH").active
    assert row(engine, "service", "KTP").active
    queue.ref(fresh=True)
    with pytest.raises(NotFound) as caught:
        queue.issuing.issue_ticket(service="PINDAH")
    assert caught.value.key == "err.service_inactive"
    assert queue.tickets.ticket(code=old.id).status is TicketStatus.WAITING
    assert "PINDAH" not in {s.code for s in queue.tickets.service_loads()}


# --- broken files -----------------------------------------------------------------------------

Edit = Callable[[str], str]


def _dup_service(text: str) -> str:
    text = replace_once(text, 'code = "AKTA_MATI"', 'code = "KK"')
    return replace_once(
        text,
        'services = ["KK", "AKTA_LAHIR", "AKTA_MATI"]',
        'services = ["KK", "AKTA_LAHIR"]',
    )


# name -> (edit of kotim.toml, one tuple of expected fragments per problem line)
BROKEN: dict[str, tuple[Edit, list[tuple[str, ...]]]] = {
    "not_toml": (lambda _: "this is [not toml\n", [("line 1",)]),
    "unknown_key": (
        lambda s: replace_once(s, '  code = "KTP"\n', '  code = "KTP"\n  colour = "red"\n'),
        [("agencies[DUKCAPIL].services[KTP].colour",)],
    ),
    "bad_prefix": (
        lambda s: replace_after(s, 'code = "KTP"', 'prefix = "A"', 'prefix = "a1"'),
        [("agencies[DUKCAPIL].services[KTP].prefix",)],
    ),
    "unknown_service_on_counter": (
        lambda s: replace_once(
            s, 'services = ["KTP", "KK", "PINDAH"]', 'services = ["KTP", "KK", "PINDAH", "SIUP"]'
        ),
        [("counters[L01].services", "SIUP")],
    ),
    "duplicate_service_code": (_dup_service, [("agencies", "services", "code", "'KK'", "twice")]),
    "duplicate_counter_code": (
        lambda s: replace_once(s, 'code = "L18"', 'code = "L17"'),
        [("counters", "code", "'L17'", "twice")],
    ),
    "bad_hours": (
        lambda s: replace_after(
            s, 'code = "STNK_5TH"', 'mon = ["08:00-12:00"]', 'mon = ["25:00-26:00"]'
        ),
        [("agencies[SAMSAT].services[STNK_5TH].hours", "25:00-26:00")],
    ),
    "unknown_time_zone": (
        lambda s: replace_once(s, 'timezone = "Asia/Jakarta"', 'timezone = "Asia/Sampit"'),
        [("hall.timezone", "Asia/Sampit")],
    ),
    "two_problems": (
        lambda s: replace_once(
            replace_once(s, 'timezone = "Asia/Jakarta"', 'timezone = "Mars/Olympus"'),
            'name = "Layanan PBB-P2 (SPPT, Mutasi, Keberatan)"',
            'name = "  "',
        ),
        [("hall.timezone", "Mars/Olympus"), ("agencies[BAPENDA].services[PBB].name",)],
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_file_is_refused_with_precise_problems(
    engine: Engine, tmp_path: Path, case: str
) -> None:
    """A broken file raises ReferenceDataError with one single-line problem per fault, each
    naming the file, the entry and the field; and nothing is written to the database."""
    edit, expected = BROKEN[case]
    path = write(tmp_path, edit(SEED_TEXT), f"{case}.toml")
    before = snapshot(engine)

    with pytest.raises(ReferenceDataError) as caught:
        load_seed(engine, read_seed(path))

    problems = caught.value.problems
    assert len(problems) == len(expected), problems
    for line in problems:
        assert "\n" not in line
        assert line.startswith(f"{path}: "), line
    for fragments in expected:
        matching = [p for p in problems if all(f in p for f in fragments)]
        assert len(matching) == 1, (fragments, problems)
    assert caught.value.key == "err.seed_invalid"
    assert caught.value.message("en").splitlines()[1:] == [f"  {p}" for p in problems]
    assert snapshot(engine) == before


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    """A path that does not exist names itself and says so."""
    path = tmp_path / "nope.toml"
    with pytest.raises(ReferenceDataError) as caught:
        read_seed(path)
    assert caught.value.problems == [f"{path}: file not found"]


def _too_long(field: str) -> Edit:
    edits: dict[str, Edit] = {
        "counters[L01].name": lambda s: replace_once(
            s, 'name = "Loket 1"\n', f'name = "Loket Satu {"x" * 100}"\n'
        ),
        "counters[L01].zone": lambda s: replace_once(
            s,
            'name = "Loket 1"\nagency = "DUKCAPIL"\nzone = "A"',
            'name = "Loket 1"\nagency = "DUKCAPIL"\nzone = "LANTAI DUA SAYAP KIRI"',
        ),
        "outcomes[selesai].name_en": lambda s: replace_once(
            s, 'name_en = "Completed"', f'name_en = "Completed {"y" * 100}"'
        ),
    }
    return edits[field]


@pytest.mark.parametrize(
    "field", ["counters[L01].name", "counters[L01].zone", "outcomes[selesai].name_en"]
)
def test_value_too_long_for_its_column_is_refused(
    engine: Engine, tmp_path: Path, field: str
) -> None:
    """A value longer than its database column is a ReferenceDataError naming the entry and
    field on every backend, not a driver error on PostgreSQL and silent acceptance on SQLite."""
    path = write(tmp_path, _too_long(field)(SEED_TEXT))
    before = snapshot(engine)
    try:
        with pytest.raises(ReferenceDataError) as caught:
            load_seed(engine, read_seed(path))
        assert any(field in p and p.startswith(f"{path}: ") for p in caught.value.problems)
    finally:
        assert snapshot(engine) == before


def test_dropping_an_open_counter_does_not_strand_its_officer(
    queue: Hall, engine: Engine, tmp_path: Path
) -> None:
    """Dropping a counter an officer is signed in at either is refused with a problem naming
    the counter, or leaves the officer free to sign in at another counter."""
    queue.sessions.open_counter(counter="L05", officer="budi")
    path = write(tmp_path, replace_once(SEED_TEXT, L05_BLOCK, ""))
    refusal: list[str] = []
    try:
        load_seed(engine, read_seed(path))
    except ReferenceDataError as exc:  # an acceptable fix: refuse to drop a counter in use
        refusal = exc.problems
    if refusal:
        assert any("L05" in p for p in refusal)
        return
    queue.ref(fresh=True)
    queue.sessions.open_counter(counter="L06", officer="budi")
    assert queue.tickets.counter_view(counter="L06").officer == "budi"

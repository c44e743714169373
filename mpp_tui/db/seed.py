"""Reference data from a validated TOML file, loaded idempotently."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from sqlalchemy import Connection, Engine, select, update
from sqlmodel import Session, SQLModel

from mpp_tui.db.engine import write_tx
from mpp_tui.db.tables import (
    AGENCY,
    COUNTER,
    COUNTER_SERVICE,
    OUTCOME,
    PRIORITY_CATEGORY,
    SERVICE,
    Agency,
    Counter,
    CounterService,
    Hall,
    Outcome,
    PriorityCategory,
    Service,
)
from mpp_tui.domain.errors import ReferenceDataError
from mpp_tui.domain.rules import parse_schedule, visible

Code = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9_]{2,16}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
# Lengths match the columns in tables.py, so a file valid here loads on every backend.
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=80, strip_whitespace=True)]
LongText = Annotated[str, StringConstraints(max_length=200)]
Hours = dict[str, list[str]]


def packaged_data_dir() -> Path:
    """The `data/` folder: beside the package in a checkout, inside it when installed."""
    here = Path(__file__).resolve().parents[2] / "data"
    return here if here.is_dir() else Path(__file__).resolve().parents[1] / "_data"


def default_seed_file() -> Path:
    """MPP Kotim's reference data."""
    return packaged_data_dir() / "kotim.toml"


# Line and paragraph separators and the bidi embeddings, overrides and isolates: not ASCII
# controls, but they break a line or reorder the rest of a screen just the same.
_INVISIBLE_CONTROLS = frozenset(
    "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def first_control_character(text: str) -> str | None:
    """The first control character in `text` (ESC, a line break, a bidi override), or None.

    Spaces of every kind and joiners (emoji sequences) are text, not controls.
    """
    for ch in text:
        if unicodedata.category(ch) == "Cc" or ch in _INVISIBLE_CONTROLS:
            return ch
    return None


def _texts(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        """Reference data reaches screens, tickets and reports as it is written: an escape
        code would garble them and a line break would split a one-line field."""
        for text in _texts(value):
            bad = first_control_character(text)
            if bad is not None:
                raise ValueError(f"contains the control character {visible(bad)}; remove it")
        return value


def _check_hours(value: Hours | None) -> Hours | None:
    if value is not None:
        parse_schedule(value)  # raises ValueError with a readable reason
    return value


class HallSpec(_Strict):
    code: Code
    name: Text
    short_name: ShortText
    address: str = Field(default="", max_length=300)
    timezone: str = Field(default="Asia/Jakarta", max_length=64)
    priority_burst: int = Field(default=3, ge=0, le=50)
    reactivate_grace_minutes: int = Field(default=30, ge=0, le=24 * 60)
    no_show_min_calls: int = Field(default=2, ge=1, le=10)
    running_text: str = Field(default="", max_length=500)
    pin_attempts: int = Field(default=5, ge=3, le=20)
    pin_lock_minutes: int = Field(default=5, ge=1, le=24 * 60)
    idle_signout_minutes: int = Field(default=0, ge=0, le=24 * 60)
    hours: Hours

    _hours = field_validator("hours")(_check_hours)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{value}'") from None
        return value


class NamedSpec(_Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{2,32}$")]
    name: ShortText
    name_en: str = Field(default="", max_length=80)


class OutcomeSpec(NamedSpec):
    needs_note: bool = False


class ServiceSpec(_Strict):
    code: Code
    name: Text
    name_en: LongText = ""
    prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,2}$")]
    max_minutes: int = Field(ge=1, le=24 * 60)
    daily_quota: int | None = Field(default=None, ge=1)
    fee: int = Field(default=0, ge=0)
    hours: Hours | None = None
    requirements: list[str] = []
    procedure: str = ""
    output: str = ""
    complaint: str = ""

    _hours = field_validator("hours")(_check_hours)


class AgencySpec(_Strict):
    code: Code
    name: Text
    short_name: ShortText
    name_en: LongText = ""
    daily_quota: int | None = Field(default=None, ge=1)
    hours: Hours | None = None
    services: list[ServiceSpec] = Field(min_length=1)

    _hours = field_validator("hours")(_check_hours)


class CounterSpec(_Strict):
    code: Code
    name: ShortText
    agency: Code | None = None
    zone: str | None = Field(default=None, max_length=16)
    services: list[Code] = Field(min_length=1)


class SeedSpec(_Strict):
    """The whole reference-data file."""

    hall: HallSpec
    priority_categories: list[NamedSpec] = Field(min_length=1)
    outcomes: list[OutcomeSpec] = Field(min_length=1)
    agencies: list[AgencySpec] = Field(min_length=1)
    counters: list[CounterSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _cross_refs(self) -> SeedSpec:
        problems: list[str] = []
        agencies = _unique(problems, "agencies", (a.code for a in self.agencies))
        services = _unique(
            problems, "agencies.services", (s.code for a in self.agencies for s in a.services)
        )
        _unique(problems, "counters", (c.code for c in self.counters))
        _unique(problems, "outcomes", (o.code for o in self.outcomes))
        _unique(problems, "priority_categories", (p.code for p in self.priority_categories))
        served: set[str] = set()
        for c in self.counters:
            if c.agency is not None and c.agency not in agencies:
                problems.append(f"counters[{c.code}].agency: unknown agency '{c.agency}'")
            for code in c.services:
                if code not in services:
                    problems.append(f"counters[{c.code}].services: unknown service '{code}'")
                served.add(code)
        problems.extend(
            f"agencies[{a.code}].services[{s.code}]: no counter serves it"
            for a in self.agencies
            for s in a.services
            if s.code not in served
        )
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _unique(problems: list[str], where: str, codes: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            problems.append(f"{where}: code '{code}' appears twice")
        seen.add(code)
    return seen


def _describe_loc(raw: dict[str, Any], loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic location into `agencies[DUKCAPIL].services[KTP].prefix`."""
    parts: list[str] = []
    node: Any = raw
    for step in loc:
        if isinstance(step, int) and isinstance(node, list) and step < len(node):
            node = node[step]
            label = node.get("code") if isinstance(node, dict) else None
            parts[-1] += f"[{label or step}]"
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts)


def read_seed(path: Path) -> SeedSpec:
    """Read and validate a reference-data file.

    Raises:
        ReferenceDataError: one line per problem, naming the file, the entry and the field.
    """
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReferenceDataError("err.seed_invalid", [f"{path}: file not found"]) from None
    except (OSError, ValueError) as exc:  # not UTF-8, not TOML, an integer of 4,301 digits
        raise ReferenceDataError("err.seed_invalid", [f"{path}: {exc}"]) from None
    try:
        return SeedSpec.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = _describe_loc(raw, tuple(err["loc"])) or "(file)"
            msg = re.sub(r"^Value error, ", "", err["msg"])
            for part in msg.split("; ") if not err["loc"] else [msg]:
                problems.append(f"{path}: {where}: {part}")
        raise ReferenceDataError("err.seed_invalid", problems) from None


def _upsert(
    session: Session, model: type[SQLModel], keys: dict[str, Any], values: dict[str, Any]
) -> Any:
    row = session.exec(select(model).filter_by(**keys)).scalar_one_or_none()  # type: ignore[call-overload]
    if row is None:
        row = model(**keys, **values)
        session.add(row)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    session.flush()
    return row


def load_seed(engine: Engine, spec: SeedSpec) -> dict[str, int]:
    """Load reference data in one transaction, idempotently.

    Existing rows (matched by code) get new names and settings; rows missing from the file are
    made inactive, never deleted, so history keeps its references.

    Returns:
        Counts of agencies, services and counters now active.
    """
    with write_tx(engine) as conn, Session(bind=conn) as session:
        return _load(session, conn, spec)


def _load(session: Session, conn: Connection, spec: SeedSpec) -> dict[str, int]:
    h = spec.hall
    hall = _upsert(
        session,
        Hall,
        {"code": h.code},
        h.model_dump(exclude={"code"}),
    )
    hid = hall.id
    _refuse_dropping_busy_counters(conn, hid, {c.code for c in spec.counters})
    for table in (AGENCY, SERVICE, COUNTER, OUTCOME, PRIORITY_CATEGORY):
        conn.execute(update(table).where(table.c.hall_id == hid).values(active=False))

    for sort, cat in enumerate(spec.priority_categories):
        _upsert(
            session,
            PriorityCategory,
            {"hall_id": hid, "code": cat.code},
            {"name": cat.name, "name_en": cat.name_en, "active": True, "sort": sort},
        )
    for sort, out in enumerate(spec.outcomes):
        _upsert(
            session,
            Outcome,
            {"hall_id": hid, "code": out.code},
            {
                "name": out.name,
                "name_en": out.name_en,
                "needs_note": out.needs_note,
                "active": True,
                "sort": sort,
            },
        )
    agency_ids: dict[str, int] = {}
    service_ids: dict[str, int] = {}
    sort = 0
    for a_sort, ag in enumerate(spec.agencies):
        agency = _upsert(
            session,
            Agency,
            {"hall_id": hid, "code": ag.code},
            {
                "name": ag.name,
                "short_name": ag.short_name,
                "name_en": ag.name_en,
                "daily_quota": ag.daily_quota,
                "hours": ag.hours,
                "active": True,
                "sort": a_sort,
            },
        )
        agency_ids[ag.code] = agency.id
        for sv in ag.services:
            sort += 1
            service = _upsert(
                session,
                Service,
                {"hall_id": hid, "code": sv.code},
                {
                    **sv.model_dump(exclude={"code"}),
                    "agency_id": agency.id,
                    "active": True,
                    "sort": sort,
                },
            )
            service_ids[sv.code] = service.id
    for c_sort, ct in enumerate(spec.counters):
        counter = _upsert(
            session,
            Counter,
            {"hall_id": hid, "code": ct.code},
            {
                "name": ct.name,
                "zone": ct.zone,
                "active": True,
                "sort": c_sort,
                "agency_id": agency_ids[ct.agency] if ct.agency else None,
            },
        )
        wanted = {service_ids[code] for code in ct.services}
        have = set(
            session.execute(
                select(COUNTER_SERVICE.c.service_id).where(
                    COUNTER_SERVICE.c.counter_id == counter.id
                )
            ).scalars()
        )
        for sid in have - wanted:
            session.delete(session.get(CounterService, (counter.id, sid)))
        for sid in wanted - have:
            session.add(CounterService(counter_id=counter.id, service_id=sid))
    session.flush()
    return {
        "agencies": len(agency_ids),
        "services": len(service_ids),
        "counters": len(spec.counters),
    }


def _refuse_dropping_busy_counters(conn: Connection, hall_id: int, kept: set[str]) -> None:
    """A counter someone is signed in at cannot leave the file: its officer would be stranded."""
    busy = conn.execute(
        select(COUNTER.c.code, COUNTER.c.state).where(
            COUNTER.c.hall_id == hall_id, COUNTER.c.active, COUNTER.c.state != "closed"
        )
    ).all()
    problems = [
        f"counters[{code}]: is {state}; close it before removing it from the file"
        for code, state in busy
        if code not in kept
    ]
    if problems:
        raise ReferenceDataError("err.seed_invalid", problems)

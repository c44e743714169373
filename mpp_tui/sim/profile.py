"""Simulation profiles: a hall's reference data plus how its visitors and officers behave.

A profile is a TOML file with one `[simulation]` table (see data/sim-kotim.toml). It names the
hall's reference-data file (`seed_file`, as `mpp init --seed` loads it) and gives the day's
arrivals (visitors, weights per hour and agency), service times around each service's standard
time, the priority share, no-show, lateness and transfer rates, outcomes and officer pauses.
Reading validates everything against the reference data and reports one line per problem,
naming the file, the line and the field, as the reference-data loader does.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from mpp_tui.db.seed import SeedSpec, packaged_data_dir, read_seed
from mpp_tui.domain.enums import PauseReason
from mpp_tui.domain.errors import ReferenceDataError
from mpp_tui.domain.rules import parse_span

PROFILES = {"kotim": "sim-kotim.toml", "large": "sim-large.toml"}
"""Built-in profile names and their files in data/."""
DEFAULT_PROFILE = "kotim"

Code = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9_]{2,16}$")]
Weight = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
_HOUR = re.compile(r"^([01]\d|2[0-3])$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_hours(weights: Mapping[str, float]) -> Mapping[str, float]:
    bad = [h for h in weights if not _HOUR.fullmatch(h)]
    if bad:
        raise ValueError(f"hour keys are two-digit local hours '08'..'23', not {bad[0]!r}")
    if weights and not any(weights.values()):
        raise ValueError("at least one hour needs a weight above 0")
    return weights


class AgencyLoad(_Strict):
    """One agency's share of the day's visitors and the mix of its services."""

    code: Code
    share: Weight
    services: dict[Code, Weight] = {}
    arrivals_by_hour: dict[str, Weight] | None = None

    @model_validator(mode="after")
    def _hours(self) -> AgencyLoad:
        if self.arrivals_by_hour is not None:
            _check_hours(self.arrivals_by_hour)
        return self


class Pauses(_Strict):
    """Officer pauses: how many each officer takes, how long, when and why."""

    per_officer: int = Field(default=1, ge=0, le=10)
    minutes: tuple[int, int] = (10, 20)
    window: str = "10:00-13:30"
    reasons: list[PauseReason] = Field(default=[PauseReason.ISTIRAHAT], min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Pauses:
        low, high = self.minutes
        if not 1 <= low <= high <= 240:
            raise ValueError("minutes: give [shortest, longest], 1 <= shortest <= longest <= 240")
        parse_span(self.window)  # raises ValueError with a readable reason
        if PauseReason.LAINNYA in self.reasons:
            raise ValueError("reasons: 'lainnya' needs a note; use istirahat, sholat or rapat")
        return self


class SimulationSpec(_Strict):
    """The `[simulation]` table of a profile."""

    name: str = Field(min_length=1, max_length=120)
    seed_file: str = Field(min_length=1)
    visitors: int = Field(ge=1, le=100_000)
    step_seconds: int = Field(default=5, ge=1, le=300)
    overtime_minutes: int = Field(default=120, ge=0, le=12 * 60)
    priority_share: Share = 0.08
    no_show_rate: Share = 0.05
    late_share: Share = 0.1
    transfer_rate: Share = 0.03
    walk_seconds: tuple[int, int] = (20, 90)
    recall_seconds: int = Field(default=60, ge=5, le=600)
    service_time_ratio: float = Field(default=0.5, gt=0, le=3)
    service_time_cv: float = Field(default=0.5, ge=0, le=3)
    service_minutes: dict[Code, Annotated[float, Field(gt=0, le=600)]] = {}
    arrivals_by_hour: dict[str, Weight]
    priority: dict[str, Weight] = {"lansia": 1.0}
    outcomes: dict[str, Weight] = {"selesai": 1.0}
    pauses: Pauses = Pauses()
    agencies: list[AgencyLoad] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> SimulationSpec:
        _check_hours(self.arrivals_by_hour)
        low, high = self.walk_seconds
        if not 0 <= low <= high <= 1800:
            raise ValueError("walk_seconds: give [shortest, longest], 0 <= shortest <= longest")
        for name in ("priority", "outcomes"):
            table: dict[str, float] = getattr(self, name)
            if not table or not any(table.values()):
                raise ValueError(f"{name}: at least one weight above 0")
        if not any(a.share for a in self.agencies):
            raise ValueError("agencies: at least one agency needs a share above 0")
        return self


class ProfileFile(_Strict):
    simulation: SimulationSpec


class Profile:
    """A validated profile with its hall's reference data.

    Attributes:
        path: the profile file.
        spec: the `[simulation]` table.
        seed: the hall's reference data (the file `seed_file` names).
        seed_path: where that file is.
    """

    def __init__(self, path: Path, spec: SimulationSpec, seed: SeedSpec, seed_path: Path) -> None:
        self.path = path
        self.spec = spec
        self.seed = seed
        self.seed_path = seed_path

    @property
    def hall_code(self) -> str:
        """The hall this profile plays."""
        return self.seed.hall.code

    def agency_of_service(self) -> dict[str, str]:
        """Service code → agency code, from the reference data."""
        return {s.code: a.code for a in self.seed.agencies for s in a.services}


def profile_path(name_or_path: str | Path | None) -> Path:
    """The file of a built-in profile name (`kotim`, `large`) or a path as given."""
    if name_or_path is None:
        name_or_path = DEFAULT_PROFILE
    text = str(name_or_path)
    if text.strip().lower() in PROFILES:
        return packaged_data_dir() / PROFILES[text.strip().lower()]
    return Path(text).expanduser()


def read_profile(name_or_path: str | Path | None = None) -> Profile:
    """Read and validate a profile and the reference data it names.

    Raises:
        ReferenceDataError: one line per problem: file, line, field and what is wrong.
    """
    path = profile_path(name_or_path)
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except FileNotFoundError:
        known = ", ".join(PROFILES)
        raise ReferenceDataError(
            "sim.err.profile_invalid", [f"{path}: file not found (built-in profiles: {known})"]
        ) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ReferenceDataError("sim.err.profile_invalid", [f"{path}: {exc}"]) from None
    try:
        spec = ProfileFile.model_validate(raw).simulation
    except ValidationError as exc:
        problems = [
            _problem(path, text, raw, tuple(err["loc"]), err["msg"]) for err in exc.errors()
        ]
        raise ReferenceDataError("sim.err.profile_invalid", problems) from None
    seed_path = (path.parent / spec.seed_file).resolve()
    seed = read_seed(seed_path)
    problems = [_problem(path, text, raw, loc, msg) for loc, msg in _cross_check(spec, seed)]
    if problems:
        raise ReferenceDataError("sim.err.profile_invalid", problems)
    return Profile(path, spec, seed, seed_path)


def _cross_check(spec: SimulationSpec, seed: SeedSpec) -> list[tuple[tuple[Any, ...], str]]:
    """Codes the profile uses that the reference data does not know."""
    out: list[tuple[tuple[Any, ...], str]] = []
    agencies = {a.code: a for a in seed.agencies}
    services = {s.code for a in seed.agencies for s in a.services}
    seen: set[str] = set()
    for i, load in enumerate(spec.agencies):
        where = ("simulation", "agencies", i)
        if load.code in seen:
            out.append(((*where, "code"), f"agency '{load.code}' appears twice"))
        seen.add(load.code)
        agency = agencies.get(load.code)
        if agency is None:
            out.append(((*where, "code"), f"unknown agency '{load.code}' in {seed.hall.code}"))
            continue
        own = {s.code for s in agency.services}
        out.extend(
            ((*where, "services", code), f"'{code}' is not a service of {load.code}")
            for code in load.services
            if code not in own
        )
    out.extend(
        (("simulation", "service_minutes", code), f"unknown service '{code}'")
        for code in spec.service_minutes
        if code not in services
    )
    categories = {p.code for p in seed.priority_categories}
    out.extend(
        (("simulation", "priority", code), f"unknown priority category '{code}'")
        for code in spec.priority
        if code not in categories
    )
    outcomes = {o.code: o for o in seed.outcomes}
    for code in spec.outcomes:
        if code not in outcomes:
            out.append((("simulation", "outcomes", code), f"unknown outcome '{code}'"))
        elif outcomes[code].needs_note:
            out.append((("simulation", "outcomes", code), f"outcome '{code}' needs a note"))
    return out


def _problem(path: Path, text: str, raw: dict[str, Any], loc: tuple[Any, ...], msg: str) -> str:
    """`file:line: simulation.agencies[DUKCAPIL].share: what is wrong`."""
    where = _describe(raw, loc) or "(file)"
    line = _line_of(text, loc)
    place = f"{path}:{line}" if line else str(path)
    return f"{place}: {where}: {re.sub(r'^Value error, ', '', msg)}"


def _describe(raw: dict[str, Any], loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    node: Any = raw
    for step in loc:
        if isinstance(step, int) and isinstance(node, list) and parts:
            node = node[step] if step < len(node) else None
            label = node.get("code") if isinstance(node, dict) else None
            parts[-1] += f"[{label or step}]"
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts)


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """Best effort: the line of the field a location names (its table's line otherwise)."""
    lines = text.splitlines()
    keys = [str(s) for s in loc if isinstance(s, str)]
    index = next((s for s in loc if isinstance(s, int)), 0)
    for depth in range(len(keys), 0, -1):  # the deepest table header on the path
        header = re.compile(rf"^\s*\[\[?\s*{re.escape('.'.join(keys[:depth]))}\s*\]\]?\s*(#.*)?$")
        hits = [n for n, line in enumerate(lines) if header.match(line)]
        if not hits:
            continue
        start = hits[min(index, len(hits) - 1)]
        for key in reversed(keys[depth:]):  # then the deepest key written in that table
            key_re = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
            for n in range(start + 1, len(lines)):
                if lines[n].lstrip().startswith("["):
                    break
                if key_re.match(lines[n]):
                    return n + 1
        return start + 1
    return None

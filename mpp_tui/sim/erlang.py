"""Erlang C (the M/M/c queue): probability of waiting, mean wait, service level, servers needed.

Pure maths, no database. Visitors arrive at rate λ (a Poisson stream), each of c identical
servers serves at rate μ (exponential service times), and one queue feeds them all in arrival
order. The offered load is a = λ/μ erlangs and the occupancy ρ = a/c; the queue is stable only
when a < c. All rates share one time unit (per minute here, but any unit works as long as the
waits are read in the same unit).

The Erlang C probability comes from the Erlang B recursion B(0) = 1,
B(k) = a·B(k−1) / (k + a·B(k−1)), then C = c·B / (c − a·(1 − B)). It never forms a^c or c!,
so it stays exact to rounding for hundreds of servers, where the textbook sum overflows.
"""

from __future__ import annotations

import math
from collections.abc import Callable

__all__ = [
    "erlang_b",
    "erlang_c",
    "mean_wait",
    "min_servers",
    "min_servers_for_level",
    "offered_load",
    "service_level",
]

MAX_SERVERS = 10_000  # a search bound; no hall needs more counters for one agency
_Predicate = Callable[[int], bool]


def offered_load(arrival_rate: float, service_rate: float) -> float:
    """The offered load a = λ/μ in erlangs (the servers kept busy on average).

    Raises:
        ValueError: a negative arrival rate or a service rate that is not positive.
    """
    _check_rates(arrival_rate, service_rate)
    return arrival_rate / service_rate


def erlang_b(servers: int, load: float) -> float:
    """Erlang B: the probability that all `servers` are busy in a loss system of `load` erlangs.

    Computed with the stable recursion B(k) = a·B(k−1) / (k + a·B(k−1)), B(0) = 1.

    Raises:
        ValueError: negative servers or load.
    """
    if servers < 0 or load < 0:
        raise ValueError("servers and load must not be negative")
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def erlang_c(servers: int, load: float) -> float:
    """Erlang C: the probability that an arriving visitor has to wait (all servers busy).

    1.0 when the queue is unstable (load ≥ servers), 0.0 for no load.

    Raises:
        ValueError: negative servers or load.
    """
    if servers < 0 or load < 0:
        raise ValueError("servers and load must not be negative")
    if load == 0:
        return 0.0
    if load >= servers:
        return 1.0
    blocking = erlang_b(servers, load)
    return servers * blocking / (servers - load * (1.0 - blocking))


def mean_wait(servers: int, arrival_rate: float, service_rate: float) -> float:
    """The mean wait in the queue, Wq = C / (c·μ − λ), in the rates' time unit.

    `math.inf` when the queue is unstable (λ ≥ c·μ); 0.0 without arrivals.

    Raises:
        ValueError: bad rates or negative servers.
    """
    load = offered_load(arrival_rate, service_rate)
    if arrival_rate == 0:
        return 0.0
    if load >= servers:
        return math.inf
    return erlang_c(servers, load) / (servers * service_rate - arrival_rate)


def service_level(servers: int, arrival_rate: float, service_rate: float, within: float) -> float:
    """P(wait ≤ `within`) = 1 − C·exp(−(c·μ − λ)·t): the share served within a target wait.

    0.0 when the queue is unstable, 1.0 without arrivals.

    Raises:
        ValueError: bad rates, negative servers or a negative target.
    """
    if within < 0:
        raise ValueError("the target wait must not be negative")
    load = offered_load(arrival_rate, service_rate)
    if arrival_rate == 0:
        return 1.0
    if load >= servers:
        return 0.0
    gap = servers * service_rate - arrival_rate
    return 1.0 - erlang_c(servers, load) * math.exp(-gap * within)


def min_servers(arrival_rate: float, service_rate: float, target_wait: float) -> int:
    """The fewest servers whose mean wait is at most `target_wait` (0 without arrivals).

    Starts at the smallest stable count (⌊a⌋ + 1) and walks up: the mean wait falls as servers
    are added, so the first count that meets the target is the answer.

    Raises:
        ValueError: bad rates or a negative target.
    """
    if target_wait < 0:
        raise ValueError("the target wait must not be negative")
    return _smallest(
        arrival_rate,
        service_rate,
        lambda c: mean_wait(c, arrival_rate, service_rate) <= target_wait,
    )


def min_servers_for_level(
    arrival_rate: float, service_rate: float, within: float, level: float
) -> int:
    """The fewest servers that serve at least `level` of visitors within `within` (0 without
    arrivals); e.g. level 0.8, within 15 minutes: 80 % wait at most 15 minutes.

    Raises:
        ValueError: bad rates, a negative target, or a level outside [0, 1).
    """
    if not 0 <= level < 1:
        raise ValueError("the service level must be in [0, 1)")
    if within < 0:
        raise ValueError("the target wait must not be negative")
    return _smallest(
        arrival_rate,
        service_rate,
        lambda c: service_level(c, arrival_rate, service_rate, within) >= level,
    )


def _smallest(arrival_rate: float, service_rate: float, meets: _Predicate) -> int:
    load = offered_load(arrival_rate, service_rate)
    if arrival_rate == 0:
        return 0
    servers = math.floor(load) + 1
    while not meets(servers):
        servers += 1
        if servers > MAX_SERVERS:  # pragma: no cover - only for absurd loads
            raise ValueError(f"more than {MAX_SERVERS} servers would be needed")
    return servers


def _check_rates(arrival_rate: float, service_rate: float) -> None:
    if not math.isfinite(arrival_rate) or arrival_rate < 0:
        raise ValueError("the arrival rate must be a finite number ≥ 0")
    if not math.isfinite(service_rate) or service_rate <= 0:
        raise ValueError("the service rate must be a finite number > 0")

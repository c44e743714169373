"""Erlang C (mpp_tui.sim.erlang) against figures worked out by hand, and its monotonic laws."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpp_tui.sim.erlang import (
    erlang_b,
    erlang_c,
    mean_wait,
    min_servers,
    min_servers_for_level,
    offered_load,
    service_level,
)


def test_four_erlangs_on_five_servers_by_hand() -> None:
    """λ = 2/min, μ = 0.5/min, so a = 4 erlangs, on c = 5 servers.

    Erlang B by the recursion B(k) = a·B(k−1) / (k + a·B(k−1)):
    B1 = 4/5 = 0.8; B2 = 3.2/5.2 = 0.615385; B3 = 2.461538/5.461538 = 0.450704;
    B4 = 1.802817/5.802817 = 0.310680; B5 = 1.242718/6.242718 = 0.199067.
    Erlang C = c·B / (c − a·(1 − B)) = 0.995335 / (5 − 3.203732) = 0.554113.
    Cross-check with the closed form C = T / (Σ_{k<c} a^k/k! + T), T = (a^c/c!)·c/(c − a):
    a^5/5! = 8.5333, T = 8.5333 × 5/1 = 42.6667; Σ_{k<5} = 1 + 4 + 8 + 10.6667 + 10.6667
    = 34.3333; C = 42.6667 / 77.0 = 0.554113.
    Wq = C / (c·μ − λ) = 0.554113 / (2.5 − 2) = 1.108 min.
    P(W ≤ 1 min) = 1 − C·e^(−0.5) = 1 − 0.554113 × 0.606531 = 0.663913.
    """
    assert offered_load(2.0, 0.5) == pytest.approx(4.0)
    assert erlang_b(5, 4.0) == pytest.approx(0.199067, abs=1e-6)
    assert erlang_c(5, 4.0) == pytest.approx(0.554113, abs=1e-6)
    assert mean_wait(5, 2.0, 0.5) == pytest.approx(1.108225, abs=1e-6)
    assert service_level(5, 2.0, 0.5, 1.0) == pytest.approx(0.663913, abs=1e-6)


def test_textbook_three_servers_two_erlangs() -> None:
    """The textbook M/M/3 with λ = 2, μ = 1 (a = 2, ρ = 2/3).

    P0 = 1 / (1 + 2 + 2 + (8/6)·3/(3−2)) = 1/9; C = (8/6)·3·P0 = 4/9 = 0.4444;
    Wq = C / (3 − 2) = 4/9; Lq = λ·Wq = 8/9 (Little's law).
    """
    assert erlang_c(3, 2.0) == pytest.approx(4 / 9, rel=1e-12)
    assert mean_wait(3, 2.0, 1.0) == pytest.approx(4 / 9, rel=1e-12)
    assert 2.0 * mean_wait(3, 2.0, 1.0) == pytest.approx(8 / 9, rel=1e-12)


def test_one_server_is_mm1() -> None:
    """With one server Erlang C is the occupancy ρ and Wq = ρ / (μ − λ)."""
    assert erlang_c(1, 0.75) == pytest.approx(0.75)
    assert mean_wait(1, 0.75, 1.0) == pytest.approx(0.75 / 0.25)


def test_edges_no_load_and_overload() -> None:
    """No arrivals: nobody waits; a load at or above the servers never clears."""
    assert erlang_c(3, 0.0) == 0.0
    assert mean_wait(3, 0.0, 1.0) == 0.0
    assert service_level(3, 0.0, 1.0, 0.0) == 1.0
    assert erlang_c(3, 3.0) == 1.0
    assert mean_wait(3, 3.0, 1.0) == math.inf
    assert service_level(2, 3.0, 1.0, 10.0) == 0.0
    assert min_servers(0.0, 1.0, 5.0) == 0


def test_stable_for_hundreds_of_servers() -> None:
    """a = 190 on 200 servers: the recursion gives a finite probability where a^c/c! overflows
    a float (190^200 ≈ 10^455); an independent check in exact rationals agrees."""
    from fractions import Fraction

    load, servers = Fraction(190), 200
    term, total = Fraction(1), Fraction(0)
    for k in range(servers):
        total += term
        term = term * load / (k + 1)
    tail = term * servers / (servers - load)
    exact = float(tail / (total + tail))
    assert erlang_c(servers, 190.0) == pytest.approx(exact, rel=1e-9)
    assert 0.0 < erlang_c(1000, 990.0) < 1.0


def test_smallest_server_count_meets_the_target() -> None:
    """For a = 4 (λ = 2, μ = 0.5): c = 5 waits 1.108 min, c = 6 waits
    C(6, 4) / (3 − 2); B6 = 0.796268 / (6 + 0.796268) = 0.117162,
    C = 6·0.117162 / (6 − 4·0.882838) = 0.702973 / 2.468649 = 0.284761, Wq = 0.285 min.
    So a 1.2-minute target needs 5 servers, a 1-minute one 6, a 0.2-minute one 7."""
    assert mean_wait(6, 2.0, 0.5) == pytest.approx(0.284761, abs=1e-6)
    assert min_servers(2.0, 0.5, 1.2) == 5
    assert min_servers(2.0, 0.5, 1.0) == 6
    assert min_servers(2.0, 0.5, 0.2) == 7
    # 80 % within one minute: c = 5 gives 0.664, c = 6 gives 1 − 0.284761·e^(−1) = 0.895.
    assert service_level(6, 2.0, 0.5, 1.0) == pytest.approx(1 - 0.284761 * math.exp(-1), abs=1e-6)
    assert min_servers_for_level(2.0, 0.5, 1.0, 0.8) == 6
    assert min_servers_for_level(2.0, 0.5, 1.0, 0.6) == 5


@pytest.mark.parametrize(
    "call",
    [
        lambda: offered_load(-1.0, 1.0),
        lambda: offered_load(1.0, 0.0),
        lambda: offered_load(math.nan, 1.0),
        lambda: erlang_c(-1, 1.0),
        lambda: min_servers(1.0, 1.0, -1.0),
        lambda: min_servers_for_level(1.0, 1.0, 1.0, 1.0),
    ],
)
def test_bad_arguments_are_refused(call: object) -> None:
    """Negative rates, a zero service rate, NaN, negative servers or targets raise ValueError."""
    with pytest.raises(ValueError, match="must"):
        call()  # type: ignore[operator]


loads = st.floats(min_value=0.01, max_value=150.0, allow_nan=False)
rates = st.floats(min_value=0.01, max_value=5.0, allow_nan=False)


@given(load=loads, extra=st.integers(min_value=0, max_value=60))
def test_probability_of_waiting_falls_with_more_servers(load: float, extra: int) -> None:
    """C is a probability, and one more server never makes waiting more likely."""
    servers = math.floor(load) + 1 + extra
    now, more = erlang_c(servers, load), erlang_c(servers + 1, load)
    assert 0.0 <= more <= now <= 1.0


@given(load=loads, bump=st.floats(min_value=0.0, max_value=5.0), extra=st.integers(0, 30))
def test_probability_of_waiting_rises_with_load(load: float, bump: float, extra: int) -> None:
    """On the same servers, more load never makes waiting less likely."""
    servers = math.floor(load + bump) + 1 + extra
    assert erlang_c(servers, load) <= erlang_c(servers, load + bump) + 1e-12


@given(lam=rates, mu=rates, target=st.floats(min_value=0.01, max_value=60.0))
def test_smallest_count_is_smallest(lam: float, mu: float, target: float) -> None:
    """min_servers meets the target and one server fewer does not."""
    c = min_servers(lam, mu, target)
    assert mean_wait(c, lam, mu) <= target
    assert c == 0 or mean_wait(c - 1, lam, mu) > target


@given(lam=rates, mu=rates, within=st.floats(0.0, 60.0), extra=st.integers(0, 10))
def test_service_level_is_a_rising_probability(
    lam: float, mu: float, within: float, extra: int
) -> None:
    """P(W ≤ t) lies in [0, 1], grows with servers, and is at least 1 − C (nobody waits)."""
    c = math.floor(lam / mu) + 1 + extra
    level = service_level(c, lam, mu, within)
    assert 0.0 <= level <= 1.0
    assert level <= service_level(c + 1, lam, mu, within) + 1e-12
    assert level >= 1.0 - erlang_c(c, lam / mu) - 1e-12

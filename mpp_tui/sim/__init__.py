"""The hall simulator: a whole business day played through the real services and database.

`run_day` is the entry point (used by `mpp simulate` and by the capacity planner).
"""

from mpp_tui.sim.crew import DayProgress
from mpp_tui.sim.day import run_day
from mpp_tui.sim.profile import Profile, read_profile
from mpp_tui.sim.summary import AgencyDay, CounterDay, DaySummary

__all__ = [
    "AgencyDay",
    "CounterDay",
    "DayProgress",
    "DaySummary",
    "Profile",
    "read_profile",
    "run_day",
]

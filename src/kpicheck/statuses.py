"""Every status name a result can carry; CI users depend on these strings."""

from collections.abc import Mapping

RESULT_STATUSES = (
    "met",
    "not_met",
    "on_track",
    "off_track",
    "not_due",
    "no_baseline",
    "no_data",
    "invalid",
    "unknown_indicator",
)
MILESTONE_STATUSES = ("done", "done_late", "overdue", "pending")
ALL_STATUSES = RESULT_STATUSES + MILESTONE_STATUSES
# What fails a run (exit code 1) unless --fail-on says otherwise.
DEFAULT_FAIL_ON = frozenset({"not_met", "off_track", "invalid", "overdue"})


def summary(results: Mapping[str, int], milestones: Mapping[str, int] | None = None) -> dict[str, int]:
    """Count per status in a stable order, zero when absent; milestone statuses when there are any."""
    out = {s: int(results.get(s, 0)) for s in RESULT_STATUSES}
    if milestones is not None:
        out.update({s: int(milestones.get(s, 0)) for s in MILESTONE_STATUSES})
    return out

"""Every status name a result can carry; CI users depend on these strings."""

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

"""The reminders development plans send: a goal coming due or overdue, and the quarterly review of a plan.
Registered with notifications in `DevelopmentConfig.ready()`.
"""

from apps.notifications.kinds import Kind, Mode

REMINDER_KINDS = (
    Kind(
        "goal_due_14d",
        "A development goal is due in 14 days",
        "Two weeks before the target date of a goal in your development plan.",
        ("goal_title", "due_on", "url"),
        group="Development plan",
    ),
    Kind(
        "goal_overdue",
        "A development goal is overdue",
        "When a goal passes its target date without being marked done or dropped.",
        ("goal_title", "due_on", "url"),
        group="Development plan",
    ),
    Kind(
        "plan_quarterly_review",
        "Quarterly review of your plan",
        "Every three months, a prompt to review your development plan and record progress.",
        ("plan_title", "url"),
        default_mode=Mode.DIGEST,
        group="Development plan",
    ),
)

"""The notices buddies sends: to both people of a published pair, who their buddy is and why; to a person left
unpaired when a cohort is published, why, with the offer of the next cohort; to a person whose buddy closes their
account, that they are without one now. Registered with notifications in
`BuddiesConfig.ready()`."""

from apps.notifications.kinds import Kind

GROUP = "Buddies"

REMINDER_KINDS = (
    Kind(
        "buddy_paired",
        "You have a buddy",
        "When an organiser publishes a buddy cohort's pairs: who your buddy is and why you were paired.",
        ("buddy_name", "buddy_organisation", "cohort", "why", "url"),
        group=GROUP,
    ),
    Kind(
        "buddy_left_out",
        "No buddy this time",
        "When a buddy cohort you joined is published without a buddy for you: why, and the offer of the next cohort.",
        ("cohort", "reason", "url"),
        group=GROUP,
    ),
    Kind(
        "buddy_left",
        "Your buddy has left",
        "When your buddy closes their account: you can move to the next cohort for a new buddy.",
        ("buddy_name", "cohort", "url"),
        group=GROUP,
    ),
)

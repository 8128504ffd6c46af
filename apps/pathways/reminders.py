"""The reminders the first-year pathway sends: a check-in falling due (3, 6 and 12 months after the start in role,
scheduled when the person enrols and cancelled when they leave), and an organiser's invitation to join a cohort.
Registered with notifications in `PathwaysConfig.ready()`."""

from apps.notifications.kinds import Kind

GROUP = "First-year pathway"
CHECKIN_KIND = "pathway_checkin_due"
INVITED_KIND = "pathway_invited"

REMINDER_KINDS = (
    Kind(
        CHECKIN_KIND,
        "A first-year check-in is due",
        "3, 6 and 12 months after you started as medical director: a few lines on how it is going and what support "
        "you need, for you alone.",
        ("months", "due_on", "url"),
        group=GROUP,
    ),
    Kind(
        INVITED_KIND,
        "You are invited to a first-year pathway",
        "When an organiser asks you to join a cohort of new medical directors on the first-year pathway.",
        ("cohort", "url"),
        group=GROUP,
    ),
)

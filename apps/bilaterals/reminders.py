"""The reminders bilaterals send: a proposal to answer, its answer, a meeting booked, moved or cancelled (each
with its calendar file), the day before a meeting, a meeting falling due with none booked, and a bilateral
ended. Registered with notifications in `BilateralsConfig.ready()`."""

from apps.notifications.kinds import Kind

GROUP = "Bilaterals"
_MEETING_KEYS = ("other_name", "starts_at", "url", "event")

REMINDER_KINDS = (
    Kind(
        "bilateral_proposed",
        "Someone proposes a bilateral",
        "When another medical director proposes to meet you regularly: accept or decline.",
        ("other_name", "cadence", "url"),
        group=GROUP,
    ),
    Kind(
        "bilateral_answered",
        "Your proposed bilateral was answered",
        "When the person you proposed a bilateral to agrees or declines.",
        ("other_name", "agreed", "url"),
        group=GROUP,
    ),
    Kind(
        "bilateral_meeting_booked",
        "A bilateral meeting is booked",
        "When a meeting of your bilateral is booked, with a calendar invitation.",
        _MEETING_KEYS,
        has_event=True,
        group=GROUP,
    ),
    Kind(
        "bilateral_meeting_moved",
        "A bilateral meeting has moved",
        "When a meeting of your bilateral moves, with the updated calendar invitation.",
        (*_MEETING_KEYS, "was_starts_at"),
        has_event=True,
        group=GROUP,
    ),
    Kind(
        "bilateral_meeting_cancelled",
        "A bilateral meeting is cancelled",
        "When a meeting of your bilateral is cancelled: the calendar file takes it out of your calendar.",
        _MEETING_KEYS,
        has_event=True,
        ics_method="CANCEL",
        group=GROUP,
    ),
    Kind(
        "bilateral_meeting_tomorrow",
        "A bilateral meeting is tomorrow",
        "The day before each meeting of your bilateral.",
        _MEETING_KEYS,
        has_event=True,
        group=GROUP,
    ),
    Kind(
        "bilateral_due",
        "A bilateral meeting is due",
        "When your bilateral's next meeting falls due and none is booked.",
        ("other_name", "due_on", "url"),
        group=GROUP,
    ),
    Kind(
        "bilateral_ended",
        "A bilateral has ended",
        "When the other person ends your bilateral or withdraws their proposal.",
        ("other_name", "url"),
        group=GROUP,
    ),
)

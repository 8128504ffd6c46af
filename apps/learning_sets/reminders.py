"""The reminders action learning sets send: sessions coming up, moved or cancelled, a place in a set, leaving
one, and attendance not yet recorded. Registered with notifications in `LearningSetsConfig.ready()`.
"""

from apps.notifications.kinds import Kind

_SESSION_KEYS = ("set_name", "starts_at", "location", "url", "event")
# `when` is the weekly slot in words ("Tuesday 14:00 to 16:00"); `events` one entry per session.
_PLACED_KEYS = ("set_name", "programme_name", "when", "facilitator_name", "location", "url", "events")

REMINDER_KINDS = (
    Kind(
        "session_upcoming_7d",
        "A learning set session is a week away",
        "Seven days before each session of your action learning set.",
        _SESSION_KEYS,
        has_event=True,
        group="Action learning sets",
    ),
    Kind(
        "session_upcoming_24h",
        "A learning set session is tomorrow",
        "The day before each session of your action learning set.",
        _SESSION_KEYS,
        has_event=True,
        group="Action learning sets",
    ),
    Kind(
        "set_placed",
        "You have a place in a learning set",
        "When a programme is published: your set and the dates of all its sessions, with a calendar file.",
        _PLACED_KEYS,
        has_events=True,
        group="Action learning sets",
    ),
    Kind(
        "session_rescheduled",
        "A learning set session has moved",
        "When your facilitator or the organiser moves a session of your action learning set.",
        (*_SESSION_KEYS, "was_starts_at"),
        has_event=True,
        group="Action learning sets",
    ),
    Kind(
        "session_cancelled",
        "A learning set session is cancelled",
        "When your facilitator or the organiser cancels a session of your action learning set.",
        _SESSION_KEYS,
        has_event=True,
        ics_method="CANCEL",
        group="Action learning sets",
    ),
    Kind(
        "set_left",
        "You are no longer in a learning set",
        "When you leave an action learning set: its sessions to come are taken out of your calendar.",
        ("set_name", "url", "events"),
        has_events=True,
        ics_method="CANCEL",
        group="Action learning sets",
    ),
    Kind(
        "attendance_not_recorded",
        "Attendance not yet recorded",
        "For facilitators: the day after a session whose attendance is not recorded.",
        ("set_name", "session_on", "url"),
        group="Action learning sets",
    ),
)

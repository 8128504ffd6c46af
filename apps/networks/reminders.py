"""The e-mails standing networks send to their members: an invitation to each meeting (with its .ics), a reminder
the day before, and news that a meeting moved or is cancelled (with an .ics that updates or cancels it), and, to a
person who asked to join, that an organiser said yes. Registered with notifications in `NetworksConfig.ready()`."""

from apps.notifications.kinds import Kind

GROUP = "Networks and forums"
_MEETING_KEYS = ("network_name", "starts_at", "location", "url", "event")

REMINDER_KINDS = (
    Kind(
        "network_meeting_invitation",
        "A network you belong to has a new meeting",
        "When an organiser schedules a meeting of a network or forum you are a member of, with a calendar file.",
        _MEETING_KEYS,
        has_event=True,
        group=GROUP,
    ),
    Kind(
        "network_meeting_upcoming",
        "A network meeting is tomorrow",
        "The day before each meeting of a network or forum you are a member of.",
        _MEETING_KEYS,
        has_event=True,
        group=GROUP,
    ),
    Kind(
        "network_meeting_moved",
        "A network meeting has moved",
        "When an organiser moves a meeting of your network or forum, with a calendar file for the new time.",
        (*_MEETING_KEYS, "was_starts_at"),
        has_event=True,
        group=GROUP,
    ),
    Kind(
        "network_meeting_cancelled",
        "A network meeting is cancelled",
        "When an organiser cancels a meeting of your network or forum, with a calendar cancellation.",
        _MEETING_KEYS,
        has_event=True,
        ics_method="CANCEL",
        group=GROUP,
    ),
    Kind(
        "network_joined",
        "You are now a member of a network",
        "When an organiser accepts your request to join a network or forum.",
        ("network_name", "url"),
        group=GROUP,
    ),
)

"""The e-mails 360 feedback sends to raters, who have no account: the invitation and the nudges.
Registered with notifications in `AssessmentsConfig.ready()`.
"""

from apps.notifications.kinds import Audience, Kind

REMINDER_KINDS = (
    Kind(
        "rater_invitation",
        "Invitation to give 360 feedback",
        "Sent to a colleague you ask for 360 feedback.",
        ("person_name", "closes_on", "url"),
        audience=Audience.RATER,
        group="360 feedback",
    ),
    Kind(
        "rater_nudge",
        "Reminder to give 360 feedback",
        "Sent to a colleague who has not yet answered your request for 360 feedback.",
        ("person_name", "closes_on", "url"),
        audience=Audience.RATER,
        group="360 feedback",
    ),
)

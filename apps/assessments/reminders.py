"""The e-mails self-assessment sends: to raters, who have no account, the 360 invitation and the nudges; to the
person, a month before a self-assessment they repeat (the board framework, yearly) is due again.
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
    Kind(
        "self_assessment_due",
        "Your next self-assessment is due",
        "A month before a self-assessment you repeat (such as the yearly board self-assessment) is due again.",
        ("framework_name", "due_on", "repeat_every_months", "url"),
        group="Self-assessment",
    ),
)

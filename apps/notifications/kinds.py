"""The kinds of reminder the portal sends. A feature schedules a reminder by naming one of these codes.

Each kind lists the context keys its e-mail templates use (`templates/notifications/email/<code>.txt` and
`.html`); scheduling checks they are all there, so a missing key is a clear error at the call, not a broken
e-mail at 3 a.m. Every member's and rater's context has `url`: the page in the portal the reminder is about.

Account e-mails (confirm an address, reset a password) are one kind of their own: allauth renders them with its
templates, and the outbox carries the rendered subject and bodies to the mail server like any other reminder.
"""

from dataclasses import dataclass
from enum import StrEnum


class Audience(StrEnum):
    MEMBER = "member"  # has an account: preferences and the notifications page apply
    RATER = "rater"  # a 360 rater without an account: only an opt-out applies
    # Security mail to an address (confirm it, reset a password): always sent at once, never digested, with no
    # unsubscribe link, whatever the person's choices or opt-outs; it is never listed in the portal.
    ACCOUNT = "account"


class Mode(StrEnum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"
    OFF = "off"


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    description: str
    context_keys: tuple[str, ...]
    audience: Audience = Audience.MEMBER
    default_mode: Mode = Mode.IMMEDIATE
    # Reminders about an event carry `event` in their context and get an iCalendar attachment.
    has_event: bool = False
    # Reminders about a series (a set's sessions) carry `events`, a list of such dicts, in one attachment.
    has_events: bool = False
    # The iTIP method of that attachment (RFC 5546): PUBLISH adds or updates the events in the recipient's
    # calendar, CANCEL takes them out of it.
    ics_method: str = "PUBLISH"
    group: str = "Other"
    # The context holds a secret (an account link that confirms an address or resets a password): it is kept
    # out of admin pages and emptied once the e-mail is sent.
    secret_context: bool = False

    @property
    def can_unsubscribe(self) -> bool:
        return self.audience != Audience.ACCOUNT


ACCOUNT_EMAIL = "account_email"  # allauth's e-mails, already rendered (services.account_email_schedule)
_SESSION_KEYS = ("set_name", "starts_at", "location", "url", "event")
# `when` is the weekly slot in words ("Tuesday 14:00 to 16:00"); `events` one entry per session.
_PLACED_KEYS = ("set_name", "programme_name", "when", "facilitator_name", "location", "url", "events")

KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in [
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
        Kind(
            "mentoring_proposal_waiting",
            "A mentoring proposal is waiting for your reply",
            "Three days after a mentoring proposal was made, if you have not accepted or declined it.",
            ("other_name", "url"),
            group="Mentoring",
        ),
        Kind(
            "mentoring_proposal_for_mentor",
            "Someone is proposed as your mentee",
            "When you are proposed as someone's mentor or coach: say yes or no so they can start or be matched again.",
            ("other_name", "url"),
            group="Mentoring",
        ),
        Kind(
            "mentoring_proposal_made",
            "A mentor is proposed for you",
            "When an organiser's match round proposes a mentor or coach for you.",
            ("other_name", "url"),
            group="Mentoring",
        ),
        Kind(
            "mentoring_match_confirmed",
            "Your mentoring match is confirmed",
            "When the other person says yes too and you can start working together.",
            ("other_name", "url"),
            group="Mentoring",
        ),
        Kind(
            "mentoring_proposal_passed",
            "Your proposed mentor could not take you on",
            "When a proposed mentor declines or does not answer in time, and who we propose next.",
            ("other_name", "what_happened", "next_name", "url"),
            group="Mentoring",
        ),
        Kind(
            "mentoring_meeting_follow_up",
            "Follow up a mentoring meeting",
            "After a mentoring meeting, a prompt to note actions and book the next one.",
            ("other_name", "met_on", "url"),
            group="Mentoring",
        ),
        Kind(
            "mentoring_no_meeting_90d",
            "No mentoring meeting for 90 days",
            "When an active mentoring relationship has had no meeting logged for 90 days.",
            ("other_name", "last_met_on", "url"),
            group="Mentoring",
        ),
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
            ACCOUNT_EMAIL,
            "Account e-mail",
            "Confirming an e-mail address or resetting a password: sent at once, whatever your choices.",
            # As allauth rendered them: the subject line, the heading (it without allauth's prefix), the text,
            # and the HTML if a template gave one (else "": the text is shown in the portal's e-mail layout).
            ("subject", "heading", "text", "html"),
            audience=Audience.ACCOUNT,
            secret_context=True,
            group="Account",
        ),
        Kind(
            "data_export_ready",
            "Your data is ready to download",
            "When the download of your data you asked for is ready. It links to the page, never to the file.",
            ("expires_at", "url"),
            group="Your data",
        ),
    ]
}


def member_kinds() -> list[Kind]:
    """The kinds a signed-up person can set preferences for, in display order."""
    return [k for k in KINDS.values() if k.audience == Audience.MEMBER]

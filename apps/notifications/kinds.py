"""The kinds of reminder the portal sends, and the registry features add theirs to.

Notifications knows no feature: each feature declares its kinds in its own `reminders.py` and registers them from
its `AppConfig.ready()` (`register(*REMINDER_KINDS)`); a feature then schedules a reminder by naming one of those
codes. The only kind declared here is notifications' own: the account e-mail.

Each kind lists the context keys its e-mail templates use (`templates/notifications/email/<code>.txt` and
`.html`); scheduling checks they are all there, so a missing key is a clear error at the call, not a broken
e-mail at 3 a.m. Every member's and rater's context has `url`: the page in the portal the reminder is about.

Account e-mails (confirm an address, reset a password) are one kind of their own: allauth renders them with its
templates, and the outbox carries the rendered subject and bodies to the mail server like any other reminder.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


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


_registered: dict[str, Kind] = {}
# Every registered kind by its code, in the order registered (read-only: add kinds with `register`).
KINDS: Mapping[str, Kind] = MappingProxyType(_registered)


class KindAlreadyRegistered(Exception):
    """Two different kinds were given the same code: a reminder must name exactly one kind."""


def register(*kinds: Kind) -> None:
    """Add kinds to the registry; called from a feature's `AppConfig.ready()`.

    A code already taken by a different kind raises at start-up, whichever app registered it first, and then none
    of the kinds given is added. Registering the very same kind again is allowed, because Django may run `ready()`
    twice when a test reloads the apps."""
    taken = dict(_registered)
    for kind in kinds:
        existing = taken.setdefault(kind.code, kind)
        if existing != kind:
            raise KindAlreadyRegistered(
                f"Reminder kind “{kind.code}” is registered twice: as “{existing.label}” and as “{kind.label}”."
            )
    _registered.update(taken)


def all_kinds() -> list[Kind]:
    """Every kind in display order: groups by name, and within a group in the order they were registered.

    Ordering by the group's name, not by which app registered first, keeps the preferences page the same whatever
    order the apps start in, and needs no list here of the features."""
    return sorted(_registered.values(), key=lambda kind: kind.group)


def member_kinds() -> list[Kind]:
    """The kinds a signed-up person can set preferences for, in display order."""
    return [k for k in all_kinds() if k.audience == Audience.MEMBER]


def kind_choices() -> list[tuple[str, str]]:
    """The choices of `Reminder.kind`. A callable, so a migration names this function rather than copying the
    kinds of the day: a feature adding a kind needs no migration in notifications."""
    return [(kind.code, kind.label) for kind in all_kinds()]


ACCOUNT_EMAIL = "account_email"  # allauth's e-mails, already rendered (services.account_email_schedule)

register(
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
    )
)

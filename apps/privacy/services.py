"""Closing an account, by the person or by an administrator at their request, with the same rules either way.

What happens to each thing that points at the person is the table in `decisions.py` (and docs/ARCHITECTURE.md,
"Your data: closing an account and retention"), and the database carries it out: the user row is deleted, and each
key's `on_delete` erases what was theirs alone and keeps, without them, what others rely on. Before that, in the
same transaction, this does what a key alone cannot:

- a proposal still waiting is declined (a mentor's "no" passes the mentee on to the next best mentor and tells
  them); their active mentoring pairs are closed ("a change in circumstances"), so the other person's reminders
  stop, and a mentee whose mentor left has their request opened again;
- a comment they left in a pair's closing feedback is erased (the scores stay, in the organisers' totals); a pair
  that both people have now left loses its agreement's words too;
- the meet-again reminders of their talent conversations stop for both people (their candidacies, and so their
  place in every lead's pipeline, go with the account; a conversation they held as a lead stays with the person);
- they are signed out of every session; account e-mails waiting for their addresses are deleted;
- the files that go with their rows (evidence, downloads) are listed, and deleted from storage after commit.

Why delete rather than anonymise the user row: a kept row, however blanked, would still tie together everything
left behind (every attendance mark, every pair) under one id, which is still personal data, and it would need a
second clean-up later. With the row gone, the database's own rules are the whole story, the same for a shell or
any future path, and nothing is left to tidy.

The closure is recorded without anything about the person (`AccountClosure`: when, by whom of the person or an
administrator, counts); an administrator's closure is also a `ChangeEvent` with them as actor. The person is sent
one e-mail saying the account is closed, through the outbox (a security message: they learn of it even when
someone else did it).
"""

import logging
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.files.storage import Storage
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import Q
from django.db.models.deletion import Collector
from django.template.loader import render_to_string

from apps.accounts.models import Role, User
from apps.accounts.selectors import user_has_role
from apps.audit.services import change_record
from apps.bilaterals.services import bilaterals_leave
from apps.buddies.services import buddies_leave
from apps.careers.services.figures import careers_leave
from apps.mentoring.models import (
    CloseReason,
    ClosingFeedback,
    MentoringRelationship,
    MentoringRequest,
    Proposal,
    ProposalStatus,
    RelationshipStatus,
    RequestStatus,
)
from apps.mentoring.services import MentoringError
from apps.mentoring.services.proposals import proposal_decline
from apps.mentoring.services.relationships import relationship_close
from apps.notifications.kinds import ACCOUNT_EMAIL
from apps.notifications.models import Reminder
from apps.notifications.services import account_email_schedule
from apps.shadowing.services import shadowing_leave
from apps.succession.services.conversations import conversations_leave

from .models import AccountClosure

logger = logging.getLogger(__name__)


class ClosingError(Exception):
    """An account that cannot be closed as asked; nothing was changed."""


@transaction.atomic
def account_close(*, user: User, actor: User, now: datetime) -> AccountClosure:
    """Close `user`'s account: `actor` is the person themself, or an administrator acting on their request."""
    by_administrator = actor.pk != user.pk
    if by_administrator and not user_has_role(user=actor, role=Role.ADMINISTRATOR):
        raise ClosingError("Only an administrator can close someone else's account.")
    # The row lock makes a second closure (a double click, two administrators) wait, then find nothing to close.
    person = User.objects.select_for_update().filter(pk=user.pk).first()
    if person is None:
        raise ClosingError("This account is already closed.")
    addresses = {
        person.email.lower(),
        *(a.lower() for a in EmailAddress.objects.filter(user=person).values_list("email", flat=True)),
    }

    _leave_mentoring(person, now)
    shadowing_leave(person=person, now=now)
    bilaterals_leave(person=person, now=now)
    buddies_leave(person=person, now=now)
    careers_leave(person=person, now=now)
    conversations_leave(person=person)
    _sign_out_everywhere(person)
    Reminder.objects.filter(kind=ACCOUNT_EMAIL, email__in=addresses).delete()

    erased, kept, files = _what_the_deletion_does(person)
    closure = AccountClosure.objects.create(closed_at=now, by_administrator=by_administrator, erased=erased, kept=kept)
    if by_administrator:
        change_record(
            actor=actor,
            capacity="administrator",
            action="closed an account at the person's request",
            target="an account (who is not recorded)",
            subjects=[None],
            before={},
            after={},
            now=now,
        )
    person.delete()
    _tell(address=person.email, by_administrator=by_administrator, now=now)
    transaction.on_commit(lambda: _delete_files(files))
    return closure


# --- Mentoring -------------------------------------------------------------------------------------------------


def _leave_mentoring(person: User, now: datetime) -> None:
    # Declined as the mentor's or the mentee's "no": passing a mentee on never proposes the leaver again (a request
    # skips mentors already tried for it), and the offer goes with the account.
    waiting = Proposal.objects.filter(Q(mentor=person) | Q(request__mentee=person), status=ProposalStatus.PROPOSED)
    for proposal_id in waiting.values_list("pk", flat=True):
        try:
            proposal_decline(proposal_id=proposal_id, person=person, now=now)
        except MentoringError:  # answered or lapsed meanwhile: nothing waits on it any more
            continue
    pairs = MentoringRelationship.objects.filter(Q(mentor=person) | Q(mentee=person))
    for pair in pairs.filter(status=RelationshipStatus.ACTIVE).select_related("proposal"):
        try:
            relationship_close(relationship=pair, actor=person, reason=CloseReason.CIRCUMSTANCES, now=now)
        except MentoringError:  # the other person closed it a moment ago: closed either way
            continue
        if pair.mentor_id == person.pk and pair.proposal is not None:
            _reopen_request(pair.proposal.request_id)
    # Their comments go; their scores stay without them (ClosingFeedback.author is SET_NULL).
    ClosingFeedback.objects.filter(author=person).exclude(comment="").update(comment="")
    # A pair both people have now left keeps only what the organisers count: the agreement's words go too.
    gone = Q(mentor=person, mentee__isnull=True) | Q(mentee=person, mentor__isnull=True)
    pairs.filter(gone).update(goals="", confidentiality="")


def _reopen_request(request_id: int) -> None:
    """A mentee whose mentor left can be matched again, as after saying a match is not working: their request
    opens again, unless they have opened another of its kind meanwhile (one open request per kind)."""
    request = MentoringRequest.objects.select_for_update().filter(pk=request_id, status=RequestStatus.MATCHED).first()
    if request is None:
        return
    if MentoringRequest.objects.filter(mentee=request.mentee_id, kind=request.kind, status=RequestStatus.OPEN).exists():
        return
    request.status = RequestStatus.OPEN
    request.save(update_fields=["status"])


# --- Sessions, files, counts -----------------------------------------------------------------------------------


def _sign_out_everywhere(person: User) -> None:
    """Every signed-in session allauth knows of ends now (its session row goes too). Any other session would only
    find its user gone and count as signed out."""
    for session in UserSession.objects.filter(user=person):
        session.end()


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.get_fields() if isinstance(f, models.FileField)]


def _what_the_deletion_does(
    person: User,
) -> tuple[dict[str, int], dict[str, int], list[tuple[Storage, str]]]:
    """Asks Django's deletion collector, before deleting, what the deletion will do: rows erased and rows kept
    with a key emptied, by model, and the stored files of the erased rows (whatever app they belong to: an app
    added later with files of its own is covered without a change here)."""
    collector = Collector(using=DEFAULT_DB_ALIAS, origin=person)
    collector.collect([person])
    erased: dict[str, int] = {}
    files: list[tuple[Storage, str]] = []
    for model, instances in collector.data.items():
        erased[model._meta.label_lower] = erased.get(model._meta.label_lower, 0) + len(instances)
        for field in _file_fields(model):
            files += [(field.storage, getattr(obj, field.attname).name) for obj in instances]
    for rows in collector.fast_deletes:
        label = rows.model._meta.label_lower
        fields = _file_fields(rows.model)
        if fields:
            names = list(rows.values_list(*[f.attname for f in fields]))
            files += [(f.storage, row[i]) for row in names for i, f in enumerate(fields)]
            count = len(names)
        else:
            count = rows.count()
        erased[label] = erased.get(label, 0) + count
    kept: dict[str, int] = {}
    for (key, _value), batches in collector.field_updates.items():
        label = f"{key.model._meta.label_lower}.{key.name}"
        kept[label] = kept.get(label, 0) + sum(_size(batch) for batch in batches)
    erased.pop(person._meta.label_lower, None)
    return (
        {k: v for k, v in sorted(erased.items()) if v},
        {k: v for k, v in sorted(kept.items()) if v},
        [(storage, name) for storage, name in files if name],
    )


def _size(batch: Any) -> int:
    """A batch of the collector's field updates: a queryset, or a list of instances."""
    return len(batch) if isinstance(batch, list | set | tuple) else int(batch.count())


def _delete_files(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:  # the row is gone either way; a file left behind is logged for the operators
            logger.exception("Could not delete a closed account's file")


def _tell(*, address: str, by_administrator: bool, now: datetime) -> None:
    context = {
        "portal_name": settings.PORTAL_NAME,
        "portal_contact_email": settings.PORTAL_CONTACT_EMAIL,
        "by_administrator": by_administrator,
    }
    heading = "Your account is closed"
    account_email_schedule(
        address=address,
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{heading}",
        heading=heading,
        text=render_to_string("privacy/email/account_closed.txt", context),
        html="",
        now=now,
    )

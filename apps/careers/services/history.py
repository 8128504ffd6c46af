"""A person's role history and their choice to count it in the anonymous routes."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.organisations.models import Sector

from ..models import RoleHistoryEntry, RoutesConsent
from . import CareersError
from .figures import routes_change_record


def _overlapping(
    *, owner: User, started_on: date, ended_on: date | None, today: date, ignore: int | None
) -> RoleHistoryEntry | None:
    """The first of the person's other entries sharing a day with this one. A role may start on the day the last
    one ended, as people move on. An entry without an end runs to today."""
    end = ended_on or today
    others = RoleHistoryEntry.objects.filter(owner=owner).order_by("started_on")
    if ignore is not None:
        others = others.exclude(pk=ignore)
    for entry in others:
        other_end = entry.ended_on or today
        if entry.started_on < end and started_on < other_end:
            return entry
    return None


def _check(*, owner: User, started_on: date, ended_on: date | None, now: datetime, ignore: int | None) -> None:
    today = timezone.localdate(now)
    if started_on > today:
        raise CareersError("The start date must be today or in the past.")
    if ended_on is not None and ended_on > today:
        raise CareersError("The end date must be today or in the past: leave it empty if you are still in the role.")
    if ended_on is not None and ended_on < started_on:
        raise CareersError("The end date must be on or after the start date.")
    if clash := _overlapping(owner=owner, started_on=started_on, ended_on=ended_on, today=today, ignore=ignore):
        raise CareersError(
            f"These dates overlap your role “{clash.title}” ({clash.started_on:%-d %B %Y} to "
            f"{f'{clash.ended_on:%-d %B %Y}' if clash.ended_on else 'now'}). Change one so they follow each other."
        )


def _lock(owner: User) -> None:
    # Two saves at once must not both pass the overlap check: they queue on the person's row.
    User.objects.select_for_update().filter(pk=owner.pk).first()


def _counted_change(*, owner_id: int, withdrawal: bool, now: datetime) -> None:
    """A counted person's history changed: noted for deciding when the figures are next worked out
    (services/figures.py). Someone not counted changes nothing anyone sees."""
    if RoutesConsent.objects.filter(owner_id=owner_id, counted=True).exists():
        routes_change_record(owner_id=owner_id, withdrawal=withdrawal, now=now)


@transaction.atomic
def history_add(
    *,
    owner: User,
    title: str,
    step: str,
    level: int | None,
    organisation_kind: str,
    sector: Sector | None,
    started_on: date,
    ended_on: date | None,
    now: datetime,
) -> RoleHistoryEntry:
    _lock(owner)
    _check(owner=owner, started_on=started_on, ended_on=ended_on, now=now, ignore=None)
    entry = RoleHistoryEntry(
        owner=owner,
        title=title.strip(),
        step=step,
        level=level,
        organisation_kind=organisation_kind,
        sector=sector,
        started_on=started_on,
        ended_on=ended_on,
        created_at=now,
    )
    entry.full_clean()
    entry.save()
    _counted_change(owner_id=owner.pk, withdrawal=False, now=now)
    return entry


@transaction.atomic
def history_update(
    *,
    entry: RoleHistoryEntry,
    title: str,
    step: str,
    level: int | None,
    organisation_kind: str,
    sector: Sector | None,
    started_on: date,
    ended_on: date | None,
    now: datetime,
) -> RoleHistoryEntry:
    _lock(entry.owner)
    # `entry` was read before the lock: a delete (or another edit) may have happened since. Saving the stale
    # instance would put a deleted entry back, so work on the row as it stands now, or refuse.
    entry = _locked_entry(entry)
    _check(owner=entry.owner, started_on=started_on, ended_on=ended_on, now=now, ignore=entry.pk)
    entry.title, entry.step, entry.level = title.strip(), step, level
    entry.organisation_kind, entry.sector = organisation_kind, sector
    entry.started_on, entry.ended_on = started_on, ended_on
    entry.full_clean()
    entry.save()
    _counted_change(owner_id=entry.owner_id, withdrawal=True, now=now)
    return entry


def _locked_entry(entry: RoleHistoryEntry) -> RoleHistoryEntry:
    current = RoleHistoryEntry.objects.select_for_update().filter(pk=entry.pk, owner_id=entry.owner_id).first()
    if current is None:
        raise CareersError("This role is no longer in your history: it was removed, perhaps in another window.")
    return current


@transaction.atomic
def history_delete(*, entry: RoleHistoryEntry, now: datetime | None = None) -> None:
    _lock(entry.owner)
    deleted, _ = RoleHistoryEntry.objects.filter(pk=entry.pk, owner_id=entry.owner_id).delete()
    if deleted:
        _counted_change(owner_id=entry.owner_id, withdrawal=True, now=now or timezone.now())


@transaction.atomic
def routes_consent_set(*, owner: User, counted: bool, now: datetime) -> RoutesConsent:
    """The person's choice, from the next month's figures on (services/figures.py). `changed_at` moves only when
    the choice does: the month's figures count a "yes" given before the month began, so saying yes again must not
    push it out."""
    # With no row yet, `select_for_update` locks nothing and two first choices would both insert (the second a
    # unique-constraint error): they queue on the person's row instead.
    _lock(owner)
    consent = RoutesConsent.objects.select_for_update().filter(owner=owner).first()
    if consent is None:
        if counted:
            routes_change_record(owner_id=owner.pk, withdrawal=False, now=now)
        return RoutesConsent.objects.create(owner=owner, counted=counted, changed_at=now)
    if consent.counted != counted:
        consent.counted, consent.changed_at = counted, now
        consent.save(update_fields=["counted", "changed_at"])
        routes_change_record(owner_id=owner.pk, withdrawal=not counted, now=now)
    return consent

"""Buddy cohorts: an organiser creates a cohort, people join it (or are added), the organiser runs pairing (a
draft), reviews each pair with its explanation, changes pairs by hand with the hard rules checked, and publishes.

Publishing tells both people of each pair who their buddy is and why, and tells anyone left unpaired why, with the
offer of the next cohort. Every write to a cohort's pairs locks the cohort's row first, so two organisers' edits
queue rather than interleave: that lock is what keeps a person in at most one pair of a cohort across both columns
of the pair (the database refuses the rest, see `BuddyPair`).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.accounts.selectors import user_has_role
from apps.audit.services import change_record
from apps.notifications.services import Scheduled, cancel, portal_url, schedule_many
from apps.profiles.models import Profile

from .models import BuddyPair, Cohort, CohortMember, CohortStatus, PairStatus
from .pairing import CohortError, Person, allowed, fit, solve

ALREADY_PUBLISHED = "This cohort's pairs are published: they can no longer be changed."
UNPAIRED_BY_HAND = "The organiser took this person out of their pair."
WAITING = "You are already in a cohort waiting to be paired: you will be told who your buddy is."
BUDDY_CLOSED_ACCOUNT = "Your buddy closed their account, so you are without one for now."


class BuddiesError(Exception):
    """A refusal the person is shown, in their words."""


def months_in_role(*, started: date, today: date) -> int:
    """Whole months from the start in the role to today (0 in the first month)."""
    months = (today.year - started.year) * 12 + today.month - started.month - (today.day < started.day)
    return max(0, months)


def _require_organiser(actor: User) -> None:
    if not user_has_role(user=actor, role=Role.ORGANISER):
        raise BuddiesError("Buddy cohorts are run by organisers.")


def _locked(cohort: Cohort) -> Cohort:
    return Cohort.objects.select_for_update().get(pk=cohort.pk)


@transaction.atomic
def cohort_create(*, name: str, actor: User, now: datetime) -> Cohort:
    _require_organiser(actor)
    cohort = Cohort(name=name.strip(), created_by=actor, created_at=now)
    cohort.full_clean()
    cohort.save()
    change_record(
        actor=actor,
        capacity="organiser",
        action="created a buddy cohort",
        target=cohort.name,
        subjects=[],
        before={},
        after={"name": cohort.name},
        now=now,
    )
    return cohort


def _check_can_join(cohort: Cohort, user: User, started_in_role: date, now: datetime) -> None:
    if cohort.status != CohortStatus.OPEN:
        raise BuddiesError("This cohort is no longer open for joining.")
    if started_in_role > timezone.localdate(now):
        raise BuddiesError("The start in the role cannot be in the future.")
    if cohort.members.filter(user=user).exists():
        raise BuddiesError(f"{user.display_name} is already in this cohort.")


def _add(cohort: Cohort, user: User, started_in_role: date, actor: User, now: datetime, capacity: str) -> CohortMember:
    locked = _locked(cohort)
    _check_can_join(locked, user, started_in_role, now)
    member = CohortMember(cohort=locked, user=user, started_in_role=started_in_role, added_by=actor, joined_at=now)
    member.full_clean()
    member.save()
    change_record(
        actor=actor,
        capacity=capacity,
        action="joined a buddy cohort" if actor == user else "added a person to a buddy cohort",
        target=locked.name,
        subjects=[user],
        before={},
        after={"started_in_role": started_in_role.isoformat()},
        now=now,
    )
    return member


@transaction.atomic
def member_add(*, cohort: Cohort, user: User, started_in_role: date, actor: User, now: datetime) -> CohortMember:
    """An organiser adds a person to an open cohort."""
    _require_organiser(actor)
    return _add(cohort, user, started_in_role, actor, now, "organiser")


@transaction.atomic
def member_join(*, cohort: Cohort, user: User, started_in_role: date, now: datetime) -> CohortMember:
    """A person joins an open cohort themself."""
    return _add(cohort, user, started_in_role, user, now, "member")


@transaction.atomic
def member_move_to_next(*, member: CohortMember, user: User, now: datetime) -> CohortMember:
    """A person left unpaired in a published cohort moves to the next open cohort, keeping their start in role."""
    member = CohortMember.objects.select_related("cohort").get(pk=member.pk, user=user)
    if member.cohort.status != CohortStatus.PUBLISHED or _paired(member.cohort, user.pk):
        raise BuddiesError("Only someone left without a buddy in a published cohort can move to the next one.")
    # Once moved (or joined by hand), the person waits in that cohort: moving again would put them in every open one.
    if CohortMember.objects.filter(user=user).exclude(cohort__status=CohortStatus.PUBLISHED).exists():
        raise BuddiesError(WAITING)
    next_cohort = (
        Cohort.objects.filter(status=CohortStatus.OPEN).exclude(members__user=user).order_by("created_at", "pk").first()
    )
    if next_cohort is None:
        raise BuddiesError("There is no open cohort to move to yet: an organiser will open one.")
    return _add(next_cohort, user, member.started_in_role, user, now, "member")


def _paired(cohort: Cohort, user_id: int) -> bool:
    return cohort.pairs.filter(Q(first_id=user_id) | Q(second_id=user_id)).exists()


# Pairing: what each person's profile says now, and the pure solver.


@dataclass(frozen=True)
class Facts:
    """What pairing reads of a member, kept on the pair as it was at the time."""

    member: CohortMember
    organisation_id: int | None
    organisation: str
    level: int | None
    sector: str
    region: str
    months: int

    def person(self) -> Person:
        return Person(
            id=str(self.member.user_id),
            organisation=str(self.organisation_id),
            level=self.level or 0,
            sector=self.sector,
            region=self.region,
            months_in_role=self.months,
        )

    @property
    def missing(self) -> str:
        """Why this person cannot be paired at all, or ""."""
        if self.organisation_id is None:
            return "Their profile names no organisation, so a buddy from another organisation cannot be found."
        if self.level is None:
            return "Their profile gives no leadership role, so a peer at the same level cannot be found."
        return ""


def _facts(members: list[CohortMember], now: datetime) -> list[Facts]:
    today = timezone.localdate(now)
    facts = []
    for member in members:
        profile: Profile | None = getattr(member.user, "profile", None)
        organisation = profile.organisation if profile else None
        region = (profile.region if profile else None) or (organisation.region if organisation else None)
        level = profile.leadership_level if profile else None
        facts.append(
            Facts(
                member=member,
                organisation_id=organisation.pk if organisation else None,
                organisation=organisation.name if organisation else "",
                level=int(level) if level is not None else None,
                sector=profile.sector.name if profile and profile.sector else "",
                region=region.name if region else "",
                months=months_in_role(started=member.started_in_role, today=today),
            )
        )
    return facts


def _members_with_profiles(cohort: Cohort) -> list[CohortMember]:
    return list(
        cohort.members.select_related(
            "user__profile__organisation__region", "user__profile__sector", "user__profile__region"
        ).order_by("pk")
    )


def _new_pair(cohort: Cohort, a: Facts, b: Facts, *, now: datetime, by_hand: bool) -> BuddyPair:
    first, second = sorted((a, b), key=lambda facts: facts.member.user_id)
    pair_fit = fit(first.person(), second.person())
    return BuddyPair(
        cohort=cohort,
        first_id=first.member.user_id,
        second_id=second.member.user_id,
        level=first.level or 0,
        first_organisation=first.organisation,
        second_organisation=second.organisation,
        first_sector=first.sector,
        second_sector=second.sector,
        first_region=first.region,
        second_region=second.region,
        first_months_in_role=first.months,
        second_months_in_role=second.months,
        score=pair_fit.score,
        explanation=pair_fit.explanation,
        paired_by_hand=by_hand,
        created_at=now,
    )


@dataclass(frozen=True)
class Paired:
    pairs: int
    left_out: int


@transaction.atomic
def cohort_pair(*, cohort: Cohort, actor: User, now: datetime) -> Paired:
    """Pair the cohort's members afresh (a draft, replacing any earlier draft): the most people paired, then the
    best total fit; each person left out is given the reason."""
    _require_organiser(actor)
    cohort = _locked(cohort)
    if cohort.status == CohortStatus.PUBLISHED:
        raise BuddiesError(ALREADY_PUBLISHED)
    facts = _facts(_members_with_profiles(cohort), now)
    if len(facts) < 2:
        raise BuddiesError("A cohort needs at least two people before it can be paired.")
    ready = [f for f in facts if not f.missing]
    try:
        pairing = solve([f.person() for f in ready])
    except CohortError as error:  # cannot happen for members of one cohort (ids are unique), said plainly if so
        raise BuddiesError(str(error)) from error
    by_id = {str(f.member.user_id): f for f in ready}
    cohort.pairs.all().delete()
    BuddyPair.objects.bulk_create(
        [_new_pair(cohort, by_id[p.first], by_id[p.second], now=now, by_hand=False) for p in pairing.pairs]
    )
    reasons = {item.id: item.reason for item in pairing.left_out} | {
        str(f.member.user_id): f.missing for f in facts if f.missing
    }
    members = [f.member for f in facts]
    for member in members:
        member.left_out_reason = reasons.get(str(member.user_id), "")
    CohortMember.objects.bulk_update(members, ["left_out_reason"])
    was = cohort.status
    cohort.status, cohort.paired_at = CohortStatus.DRAFT, now
    cohort.save(update_fields=["status", "paired_at"])
    change_record(
        actor=actor,
        capacity="organiser",
        action="paired a buddy cohort (draft)",
        target=cohort.name,
        subjects=[],
        before={"status": was},
        after={"status": cohort.status, "pairs": len(pairing.pairs), "left_out": len(reasons)},
        now=now,
    )
    return Paired(pairs=len(pairing.pairs), left_out=len(reasons))


def _locked_draft(cohort: Cohort, actor: User) -> Cohort:
    _require_organiser(actor)
    locked = _locked(cohort)
    if locked.status != CohortStatus.DRAFT:
        if locked.status == CohortStatus.PUBLISHED:
            raise BuddiesError(ALREADY_PUBLISHED)
        raise BuddiesError("Run pairing first: pairs can be changed once there is a draft.")
    return locked


def _pair_record(cohort: Cohort, pair: BuddyPair, *, action: str, actor: User, now: datetime) -> None:
    people = list(User.objects.filter(pk__in=[pair.first_id, pair.second_id]).order_by("pk"))
    change_record(
        actor=actor,
        capacity="organiser",
        action=action,
        target=cohort.name,
        subjects=list(people),
        before={},
        after={"pair": " and ".join(person.display_name for person in people)},
        now=now,
    )


@transaction.atomic
def pair_remove(*, pair: BuddyPair, actor: User, now: datetime) -> None:
    """Take two people of a draft out of their pair: both are then unpaired, to pair again by hand."""
    cohort = _locked_draft(pair.cohort, actor)
    found = BuddyPair.objects.filter(pk=pair.pk, cohort=cohort).first()
    if found is None:  # another organiser unpaired them (or ran pairing again) while this waited for the lock
        raise BuddiesError("These two have already been unpaired: see the pairs as they are now.")
    pair = found
    _pair_record(cohort, pair, action="unpaired two buddies (draft)", actor=actor, now=now)
    cohort.members.filter(user_id__in=[pair.first_id, pair.second_id]).update(left_out_reason=UNPAIRED_BY_HAND)
    pair.delete()


@transaction.atomic
def pair_make(*, cohort: Cohort, first_user_id: int, second_user_id: int, actor: User, now: datetime) -> BuddyPair:
    """Pair two unpaired people of a draft by hand. Refused for one person with themself, two people of one
    organisation, two levels, or someone already paired."""
    cohort = _locked_draft(cohort, actor)
    if first_user_id == second_user_id:
        raise BuddiesError("A person cannot be their own buddy: choose two different people.")
    members = _members_with_profiles(cohort)
    chosen = [f for f in _facts(members, now) if f.member.user_id in (first_user_id, second_user_id)]
    if len(chosen) != 2:
        raise BuddiesError("Choose two people of this cohort.")
    a, b = chosen
    for facts in (a, b):
        if facts.missing:
            raise BuddiesError(f"{facts.member.user.display_name} cannot be paired. {facts.missing}")
        if _paired(cohort, facts.member.user_id):
            raise BuddiesError(f"{facts.member.user.display_name} is already paired: unpair them first.")
    if a.organisation_id == b.organisation_id:
        raise BuddiesError(f"Both work at {a.organisation}: a buddy comes from another organisation.")
    if not allowed(a.person(), b.person()):
        raise BuddiesError("They are at different leadership levels: a buddy is a peer at the same level.")
    pair = _new_pair(cohort, a, b, now=now, by_hand=True)
    pair.full_clean()
    pair.save()
    cohort.members.filter(user_id__in=[first_user_id, second_user_id]).update(left_out_reason="")
    _pair_record(cohort, pair, action="paired two buddies by hand (draft)", actor=actor, now=now)
    return pair


@dataclass(frozen=True)
class Published:
    pairs: int
    left_out: int


@transaction.atomic
def cohort_publish(*, cohort: Cohort, actor: User, now: datetime) -> Published:
    """Publish the draft's pairs: both people of each pair are told who their buddy is and why; anyone unpaired
    is told why and offered the next cohort."""
    cohort = _locked_draft(cohort, actor)
    pairs = list(cohort.pairs.select_related("first", "second"))
    cohort.pairs.update(status=PairStatus.PUBLISHED, published_at=now)
    paired = {p for pair in pairs for p in (pair.first_id, pair.second_id)}
    left_out = list(cohort.members.exclude(user_id__in=paired).select_related("user"))
    url = portal_url(reverse("buddies:mine"))
    notices = []
    for pair in pairs:
        for me, buddy, organisation in (
            (pair.first, pair.second, pair.second_organisation),
            (pair.second, pair.first, pair.first_organisation),
        ):
            notices.append(
                Scheduled(
                    kind="buddy_paired",
                    recipient=me,
                    due_at=now,
                    dedupe_key=f"buddy_paired:{cohort.pk}:{me.pk}",
                    context={
                        "buddy_name": buddy.display_name,
                        "buddy_organisation": organisation,
                        "cohort": cohort.name,
                        "why": pair.explanation or "the same leadership level, different organisations",
                        "url": url,
                    },
                )
            )
    for member in left_out:
        if not member.left_out_reason:
            member.left_out_reason = UNPAIRED_BY_HAND
            member.save(update_fields=["left_out_reason"])
        notices.append(
            Scheduled(
                kind="buddy_left_out",
                recipient=member.user,
                due_at=now,
                dedupe_key=f"buddy_left_out:{cohort.pk}:{member.user_id}",
                context={"cohort": cohort.name, "reason": member.left_out_reason, "url": url},
            )
        )
    schedule_many(notices)
    cohort.status, cohort.published_at = CohortStatus.PUBLISHED, now
    cohort.save(update_fields=["status", "published_at"])
    change_record(
        actor=actor,
        capacity="organiser",
        action="published a buddy cohort's pairs",
        target=cohort.name,
        subjects=[*(p for pair in pairs for p in (pair.first, pair.second)), *(m.user for m in left_out)],
        before={"status": CohortStatus.DRAFT},
        after={"status": CohortStatus.PUBLISHED, "pairs": len(pairs), "left_out": len(left_out)},
        now=now,
    )
    return Published(pairs=len(pairs), left_out=len(left_out))


@transaction.atomic
def buddies_leave(*, person: User, now: datetime) -> None:
    """Before an account closes (apps.privacy): the buddy of each of the person's pairs is left without one. The
    buddy of a published pair is told (a "You have a buddy" not yet sent is called off), and their buddies page
    says why with the offer of the next cohort; the buddy of a draft pair gets the same reason, which publishing
    tells them. The pairs and memberships then go with the account (CASCADE)."""
    pairs = list(
        BuddyPair.objects.filter(Q(first=person) | Q(second=person)).select_related("cohort", "first", "second")
    )
    # The cohorts' locks first, in one order, as every other write to a cohort's pairs takes them.
    list(Cohort.objects.select_for_update().filter(pk__in={pair.cohort_id for pair in pairs}).order_by("pk"))
    url = portal_url(reverse("buddies:mine"))
    notices = []
    for pair in pairs:
        buddy = pair.second if pair.first_id == person.pk else pair.first
        CohortMember.objects.filter(cohort_id=pair.cohort_id, user=buddy).update(left_out_reason=BUDDY_CLOSED_ACCOUNT)
        if pair.status != PairStatus.PUBLISHED:
            continue
        cancel(dedupe_key=f"buddy_paired:{pair.cohort_id}:{buddy.pk}")
        notices.append(
            Scheduled(
                kind="buddy_left",
                recipient=buddy,
                due_at=now,
                dedupe_key=f"buddy_left:{pair.cohort_id}:{buddy.pk}",
                context={"buddy_name": person.display_name, "cohort": pair.cohort.name, "url": url},
            )
        )
    schedule_many(notices)

"""Putting oneself forward at an organisation, for one of its posts or for a level; saying one's readiness still
holds; withdrawing.

The rules, each refused with a `SuccessionError` whose message is shown, nothing written:
- a person only ever puts themself forward: every function takes the person, and the views pass the signed-in
  person, never an id from the form;
- only at an organisation taking part (`selectors.organisations_taking_part`: open, with a live lead);
- a post must be that organisation's, and the candidacy's level is then the post's;
- one candidacy per post, and one per level without a post, at each organisation (database:
  `candidacy_one_per_post`, `candidacy_one_per_level`): a double submit is told it already stands forward;
- the readiness on the scale, and what the leads see one of the two choices (`candidacy_readiness_known`,
  `candidacy_show_known`).

A reminder to review the readiness is scheduled when its horizon is reached (`Candidacy.review_due_at`), moved
whenever the person changes or confirms it, and cancelled when they withdraw. Withdrawing deletes the candidacy:
everything the organisation's leads saw of the person there, the lead's own view with it, goes at once.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse

from apps.accounts.models import User
from apps.audit.services import change_record
from apps.common.validation import clean_problem
from apps.notifications.services import cancel, schedule
from apps.organisations.models import Organisation
from apps.profiles.models import CareerAimWhen, LeadershipLevel

from ..models import Candidacy, Post, Readiness, ShowChoice
from ..selectors import organisations_taking_part
from . import SuccessionError
from .conversations import conversations_withdrawn

REVIEW_KIND = "succession_readiness_review"
NOT_TAKING_PART = "This organisation is not taking part: choose one from the list."
NEEDS_NAME = "Add your name to your profile first: the organisation's leads know you by your name."
AIM_MAX = 1000


def review_key(candidacy: Candidacy) -> str:
    return f"succession-review:{candidacy.pk}"


def _where(candidacy: Candidacy) -> str:
    """The candidacy in words, for the audit log and the refusals: the post's title, or the level."""
    if candidacy.post_id is not None and candidacy.post is not None:
        return f"{candidacy.post.title}, {candidacy.organisation.name}"
    return f"{LeadershipLevel(candidacy.level).label}, {candidacy.organisation.name}"


def _already(post: Post | None, level: int) -> str:
    if post is not None:
        return f"You already stand forward for {post.title}: change that instead."
    role = LeadershipLevel(level).label.lower()
    return f"You already stand forward as {'an' if role[0] in 'aeiou' else 'a'} {role} here: change that instead."


def _check_choices(*, readiness: str, show: str, timescale: str, aim: str) -> None:
    if readiness not in Readiness.values:
        raise SuccessionError("Choose your readiness from the list: ready now, in 1 to 2 years, or in 3 to 5 years.")
    if show not in ShowChoice.values:
        raise SuccessionError("Choose what the organisation's leads see from the list.")
    if timescale not in CareerAimWhen.values:
        raise SuccessionError("Choose when you would like to move from the list.")
    if len(aim) > AIM_MAX or "\x00" in aim:
        raise SuccessionError(f"Keep what you aim for to {AIM_MAX} characters or fewer.")


def _place(*, organisation: Organisation, post: Post | None, level: int | None) -> int:
    """The level the candidacy is for: the post's own, or the one chosen when there is no post."""
    if post is not None:
        if post.organisation_id != organisation.pk:
            raise SuccessionError("Choose one of this organisation's posts.")
        return post.level
    if level not in LeadershipLevel.values:
        raise SuccessionError("Choose a post, or a level on the leadership ladder.")
    return level


def _checked(candidacy: Candidacy) -> None:
    problem = clean_problem(candidacy)
    if problem is not None:
        raise SuccessionError(problem)


def _remind(candidacy: Candidacy) -> None:
    """The reminder to review the readiness, due when its horizon is reached; the same key moves it."""
    schedule(
        recipient=candidacy.person,
        kind=REVIEW_KIND,
        due_at=candidacy.review_due_at,
        dedupe_key=review_key(candidacy),
        context={
            "organisation": candidacy.organisation.name,
            "readiness": candidacy.get_readiness_display(),
            "url": reverse("succession:mine"),
        },
    )


def _state(candidacy: Candidacy) -> dict[str, object]:
    return {
        "post": candidacy.post.title if candidacy.post else "",
        "level": candidacy.level,
        "readiness": candidacy.readiness,
        "timescale": candidacy.timescale,
        "emergency_cover": candidacy.emergency_cover,
        "show": candidacy.show,
    }


def _record(
    candidacy: Candidacy, action: str, before: dict[str, object], after: dict[str, object], now: datetime
) -> None:
    change_record(
        actor=candidacy.person,
        capacity="member",
        action=action,
        target=_where(candidacy),
        subjects=[candidacy.person],
        before=before,
        after=after,
        now=now,
    )


@transaction.atomic
def candidacy_create(
    *,
    person: User,
    organisation: Organisation,
    post: Post | None,
    level: int | None,
    aim: str,
    timescale: str,
    readiness: str,
    emergency_cover: bool,
    show: str,
    now: datetime,
) -> Candidacy:
    """`person` puts themself forward at `organisation`, for `post` or, without one, for `level`."""
    if not person.full_name:
        raise SuccessionError(NEEDS_NAME)
    if not organisations_taking_part().filter(pk=organisation.pk).exists():
        raise SuccessionError(NOT_TAKING_PART)
    _check_choices(readiness=readiness, show=show, timescale=timescale, aim=aim)
    place = _place(organisation=organisation, post=post, level=level)
    candidacy = Candidacy(
        person=person,
        organisation=organisation,
        post=post,
        level=place,
        aim=aim.strip(),
        timescale=timescale,
        readiness=readiness,
        emergency_cover=emergency_cover,
        show=show,
        created_at=now,
        reviewed_at=now,
    )
    # The check is for the message when the form is sent twice in turn; two sent at once both pass it, and the
    # database refuses the second insert below. Between them full_clean's own check may see the other one saved:
    # that is the same refusal, and says so in the same words.
    standing = Candidacy.objects.filter(person=person, organisation=organisation)
    same = standing.filter(post=post) if post else standing.filter(post=None, level=place)
    if same.exists():
        raise SuccessionError(_already(post, place))
    problem = clean_problem(candidacy)
    if problem is not None:
        raise SuccessionError(_already(post, place) if same.exists() else problem)
    try:
        with transaction.atomic():
            candidacy.save()
    except IntegrityError:
        raise SuccessionError(_already(post, place)) from None
    _remind(candidacy)
    _record(candidacy, "put themself forward", {}, _state(candidacy), now)
    return candidacy


def _locked(candidacy: Candidacy, person: User) -> Candidacy:
    """The person's own candidacy, locked; another's, or one already withdrawn, is refused."""
    locked = (
        Candidacy.objects.select_for_update(of=("self",))
        .select_related("organisation", "post", "person")
        .filter(pk=candidacy.pk, person=person)
        .first()
    )
    if locked is None:
        raise SuccessionError("You no longer stand forward there: it was withdrawn.")
    return locked


@transaction.atomic
def candidacy_update(
    *,
    candidacy: Candidacy,
    person: User,
    aim: str,
    timescale: str,
    readiness: str,
    emergency_cover: bool,
    show: str,
    now: datetime,
) -> Candidacy:
    """Change what the person said. The post or level stays: standing forward somewhere else is a new candidacy.
    A new readiness counts as reviewed now, and moves the reminder to its horizon."""
    locked = _locked(candidacy, person)
    _check_choices(readiness=readiness, show=show, timescale=timescale, aim=aim)
    before = _state(locked)
    if readiness != locked.readiness:
        locked.reviewed_at = now
    locked.aim, locked.timescale, locked.readiness = aim.strip(), timescale, readiness
    locked.emergency_cover, locked.show = emergency_cover, show
    _checked(locked)
    locked.save()
    _remind(locked)
    _record(locked, "changed their candidacy", before, _state(locked), now)
    return locked


@transaction.atomic
def candidacy_confirm(*, candidacy: Candidacy, person: User, now: datetime) -> Candidacy:
    """The person says their readiness still holds: reviewed now, the next review a horizon from now."""
    locked = _locked(candidacy, person)
    locked.reviewed_at = now
    locked.save(update_fields=["reviewed_at"])
    _remind(locked)
    return locked


@transaction.atomic
def candidacy_withdraw(*, candidacy: Candidacy, person: User, now: datetime) -> None:
    """Deleted, with the lead's view on it: nothing of the person stays for the organisation's leads to see."""
    locked = _locked(candidacy, person)
    before = _state(locked)
    where = _where(locked)
    key = review_key(locked)
    organisation_id = locked.organisation_id
    locked.delete()
    cancel(dedupe_key=key)
    conversations_withdrawn(person=person, organisation_id=organisation_id)
    change_record(
        actor=person,
        capacity="member",
        action="withdrew their candidacy",
        target=where,
        subjects=[person],
        before=before,
        after={},
        now=now,
    )


def candidacy_lead_view_seen(*, person: User, shown: list[tuple[int, datetime]], now: datetime) -> int:
    """The person has been shown the lead's view of their readiness on these candidacies, each as it stood at
    `lead_at` (the page showing them all calls this once): from now each may appear in the lead's grids. A view
    the lead changed after the page read it stays unseen (it was not what was shown). One update, however many;
    only the person's own. Returns how many were marked. One statement, atomic by itself: no transaction of its
    own, so the page that shows the views pays one query."""
    if not shown:
        return 0
    as_shown = Q()
    for candidacy_id, lead_at in shown:
        as_shown |= Q(pk=candidacy_id, lead_at=lead_at)
    unseen = Q(lead_seen_at__isnull=True) | Q(lead_seen_at__lt=F("lead_at"))
    return (
        Candidacy.objects.filter(as_shown, person=person, lead_at__isnull=False)
        .exclude(lead_readiness="")
        .filter(unseen)
        .update(lead_seen_at=now)
    )

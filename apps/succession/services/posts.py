"""An organisation lead's posts: adding, changing and removing the medical leadership posts of the one
organisation they lead, and starting from one of seed 001's structures. Every change is audit-logged in the
capacity of organisation lead; a lead of another organisation, or someone who leads none, is refused whatever the
view passed."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.selectors import led_organisation_id
from apps.audit.services import change_record
from apps.notifications.services import cancel, schedule
from apps.organisations.models import Organisation
from apps.profiles.models import LeadershipLevel

from ..models import Candidacy, Post
from ..selectors import possible_holders
from ..structures import Structure
from . import SuccessionError
from .candidacies import review_key

CAPACITY = "organisation lead"
PAS_MAX = Decimal("16")


@dataclass(frozen=True)
class PostFields:
    """What a lead says about a post, the same for adding and changing one."""

    title: str
    level: int
    portfolio: str = ""
    pas: Decimal | None = None
    holder: User | None = None
    holder_name: str = ""
    expected_vacancy: date | None = None


def _require_lead(*, actor: User, organisation_id: int) -> None:
    if led_organisation_id(user=actor) != organisation_id:
        raise SuccessionError("Only the organisation's lead can change its posts.")


def _checked(fields: PostFields, *, organisation: Organisation, now: datetime) -> PostFields:
    """The fields as they will be stored, or SuccessionError naming what is wrong."""
    title = fields.title.strip()
    if not title:
        raise SuccessionError("Enter the post's title.")
    if len(title) > Post._meta.get_field("title").max_length:  # type: ignore[operator]
        raise SuccessionError("Keep the title to 150 characters or fewer.")
    if fields.level not in LeadershipLevel.values:
        raise SuccessionError("Choose the post's level on the ladder, from clinical lead to medical director.")
    pas = fields.pas
    if pas is not None and (not pas.is_finite() or not 0 <= pas <= PAS_MAX or pas != pas.quantize(Decimal("0.1"))):
        raise SuccessionError("Enter a number of PAs from 0 to 16, for example 2.5.")
    holder_name = fields.holder_name.strip()
    if fields.holder is not None and holder_name:
        raise SuccessionError("Choose the holder from the list or type their name, not both.")
    if fields.holder is not None:
        at = getattr(getattr(fields.holder, "profile", None), "organisation_id", None)
        if at != organisation.pk or not fields.holder.is_active:
            raise SuccessionError(f"{fields.holder.display_name} is not at {organisation.name}.")
        if not possible_holders(organisation=organisation).filter(pk=fields.holder.pk).exists():
            raise SuccessionError(
                f"Type {fields.holder.display_name}'s name: choose from the list only people it shows."
            )
    if fields.expected_vacancy is not None and fields.expected_vacancy < timezone.localdate(now):
        raise SuccessionError("The date the post is expected to fall vacant cannot be in the past.")
    portfolio = fields.portfolio.strip()
    return PostFields(
        title=title,
        level=fields.level,
        portfolio=portfolio,
        pas=pas,
        holder=fields.holder,
        holder_name=holder_name,
        expected_vacancy=fields.expected_vacancy,
    )


def _described(post: Post) -> dict[str, object]:
    """A post as the audit log keeps it: plain values, the holder by name (never by address)."""
    return {
        "title": post.title,
        "level": LeadershipLevel(post.level).label,
        "portfolio": post.portfolio,
        "pas": str(post.pas) if post.pas is not None else "",
        "holder": post.holder.display_name if post.holder else post.holder_name,
        "expected_vacancy": post.expected_vacancy.isoformat() if post.expected_vacancy else "",
    }


def _apply(post: Post, fields: PostFields) -> None:
    post.title = fields.title
    post.level = fields.level
    post.portfolio = fields.portfolio
    post.pas = fields.pas
    post.holder = fields.holder
    post.holder_name = fields.holder_name
    post.expected_vacancy = fields.expected_vacancy


@transaction.atomic
def post_create(*, organisation: Organisation, actor: User, fields: PostFields, now: datetime) -> Post:
    _require_lead(actor=actor, organisation_id=organisation.pk)
    checked = _checked(fields, organisation=organisation, now=now)
    post = Post(organisation=organisation, created_at=now, updated_at=now)
    _apply(post, checked)
    post.save()
    change_record(
        actor=actor,
        capacity=CAPACITY,
        action="added a post",
        target=f"{post.title} at {organisation.name}",
        subjects=[post.holder],
        before={},
        after=_described(post),
        now=now,
    )
    return post


@transaction.atomic
def post_update(*, post_id: int, actor: User, fields: PostFields, now: datetime) -> Post:
    """Change a post of the organisation the actor leads. Its level cannot change while anyone stands forward for it
    (a candidacy's level is its post's, and the person chose it)."""
    post = (
        Post.objects.select_for_update(of=("self",)).select_related("organisation", "holder").filter(pk=post_id).first()
    )
    if post is None:
        raise SuccessionError("That post has been removed.")
    _require_lead(actor=actor, organisation_id=post.organisation_id)
    checked = _checked(fields, organisation=post.organisation, now=now)
    if checked.level != post.level:
        standing = Candidacy.objects.filter(post=post).count()
        if standing:
            # Moving their candidacies with the post would say they are ready for another rung without asking them.
            who = "1 person stands" if standing == 1 else f"{standing} people stand"
            raise SuccessionError(
                f"{who} forward for this post at its level, so its level cannot change: add a new post at the "
                "other level (and remove this one if you need to; they are told and keep standing forward for its "
                "level)."
            )
    before, old_holder = _described(post), post.holder
    _apply(post, checked)
    post.updated_at = now
    post.save()
    after = _described(post)
    if before != after:
        touched = [old_holder, post.holder] if old_holder != post.holder else [post.holder]
        change_record(
            actor=actor,
            capacity=CAPACITY,
            action="changed a post",
            target=f"{post.title} at {post.organisation.name}",
            subjects=[person for person in touched if person is not None],
            before=before,
            after=after,
            now=now,
        )
    return post


@transaction.atomic
def post_remove(*, post_id: int, actor: User, now: datetime) -> int:
    """Remove a post; the people who stood forward for it still stand forward for its level at the organisation
    (Candidacy.post is SET_NULL). Someone who already stands forward for that level keeps that one candidacy, as a
    person stands forward once for a level (candidacy_one_per_level). Returns how many stood forward for it."""
    post = (
        Post.objects.select_for_update(of=("self",)).select_related("organisation", "holder").filter(pk=post_id).first()
    )
    if post is None:
        raise SuccessionError("That post has already been removed.")
    _require_lead(actor=actor, organisation_id=post.organisation_id)
    candidacies = list(Candidacy.objects.select_for_update().filter(post=post).select_related("person").order_by("pk"))
    standing_for_level = set(
        Candidacy.objects.filter(organisation_id=post.organisation_id, level=post.level, post__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    # Two posts of one level removed from under one person would otherwise leave them two candidacies for it.
    keep: set[int] = set()
    for candidacy in candidacies:
        if candidacy.person_id in standing_for_level or candidacy.person_id in keep:
            cancel(dedupe_key=review_key(candidacy))
            candidacy.delete()
        else:
            keep.add(candidacy.person_id)
    before = _described(post)
    target = f"{post.title} at {post.organisation.name}"
    holder = post.holder
    before_title = post.title
    post.delete()
    # Each person who stood forward for it is told that they now stand forward for its level (or that their
    # candidacy for the level stands, when they had one).
    for person in {candidacy.person_id: candidacy.person for candidacy in candidacies}.values():
        schedule(
            recipient=person,
            kind="succession_post_removed",
            due_at=now,
            dedupe_key=f"succession-post-removed:{post_id}:{person.pk}",
            context={
                "post_title": before_title,
                "organisation": post.organisation.name,
                "level": LeadershipLevel(post.level).label,
                "url": reverse("succession:mine"),
            },
        )
    change_record(
        actor=actor,
        capacity=CAPACITY,
        action="removed a post",
        target=target,
        subjects=[holder],
        before={**before, "people standing forward": len(candidacies)},
        after={},
        now=now,
    )
    return len(candidacies)


@transaction.atomic
def structure_apply(*, organisation: Organisation, actor: User, structure: Structure, now: datetime) -> list[Post]:
    """Start an organisation's posts from one of seed 001's structures, only while it has none: applied over
    posts a lead has made, it would double them. The lead then names, fills and dates each post."""
    _require_lead(actor=actor, organisation_id=organisation.pk)
    # Lock the organisation's row so that two starts at once cannot both find no posts.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if Post.objects.filter(organisation=organisation).exists():
        raise SuccessionError(
            f"{organisation.name} already has posts: a structure is only a start. Add or change posts one by one."
        )
    posts = [
        Post(
            organisation=organisation,
            title=title,
            level=entry.level,
            portfolio=entry.portfolio_of(index),
            created_at=now,
            updated_at=now,
        )
        for entry in structure.posts
        for index, title in enumerate(entry.titles())
    ]
    for post in posts:
        post.full_clean(exclude=["organisation"])
    made = Post.objects.bulk_create(posts)
    change_record(
        actor=actor,
        capacity=CAPACITY,
        action="started the posts from a structure",
        target=f"{structure.name} at {organisation.name}",
        subjects=[],
        before={},
        after={"structure": structure.name, "posts": [f"{p.title} ({LeadershipLevel(p.level).label})" for p in made]},
        now=now,
    )
    return made

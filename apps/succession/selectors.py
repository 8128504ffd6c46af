"""Reads for succession. Every read a lead makes is scoped here, inside the query, to the one organisation they
lead; a person's reads to their own rows. Views fetch through these only."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from apps.accounts.models import Role, RoleGrant, User
from apps.accounts.selectors import led_organisation_id
from apps.common.dates import months_after
from apps.organisations.models import Organisation
from apps.profiles.models import LeadershipLevel

from .models import Candidacy, Post, Readiness, TalentConversation


def led_organisation(*, user: User) -> Organisation | None:
    """The organisation `user` leads as an organisation lead, or None."""
    organisation_id = led_organisation_id(user=user)
    if organisation_id is None:
        return None
    return Organisation.objects.filter(pk=organisation_id).first()


def posts_for_lead(*, lead: User) -> QuerySet[Post]:
    """The posts of the organisation `lead` leads; none for anyone else."""
    organisation_id = led_organisation_id(user=lead)
    if organisation_id is None:
        return Post.objects.none()
    return Post.objects.filter(organisation_id=organisation_id)


def candidacies_for_lead(*, lead: User) -> QuerySet[Candidacy]:
    """Everyone who has put themself forward at the organisation `lead` leads (a withdrawn candidacy is deleted, so
    every row here is one the person still stands by)."""
    organisation_id = led_organisation_id(user=lead)
    if organisation_id is None:
        return Candidacy.objects.none()
    return Candidacy.objects.filter(organisation_id=organisation_id)


def candidacies_of(*, person: User) -> QuerySet[Candidacy]:
    """A person's own candidacies, wherever they are."""
    return Candidacy.objects.filter(person=person)


def organisations_taking_part() -> QuerySet[Organisation]:
    """Open organisations with a live organisation lead: the ones someone can put themself forward at."""
    live_lead = RoleGrant.objects.filter(
        organisation=OuterRef("pk"), role=Role.ORGANISATION_LEAD, revoked_at__isnull=True
    )
    return Organisation.objects.filter(Exists(live_lead), closed_on__isnull=True).order_by("name")


def leads_of(*, organisation_id: int) -> QuerySet[User]:
    """The live organisation leads of one organisation."""
    return User.objects.filter(
        is_active=True,
        role_grants__organisation_id=organisation_id,
        role_grants__role=Role.ORGANISATION_LEAD,
        role_grants__revoked_at__isnull=True,
    ).distinct()


def lead_sees_conversation() -> Q:
    """The one rule for a conversation's lead, as a condition on TalentConversation: their live grant is for its
    organisation, and the person has a candidacy there made no later than the conversation (they have stood
    forward there without a break since). Withdrawing closes it to the lead at once; standing forward again later
    does not reopen it; a revoked or moved grant closes it. Used for one lead (`conversations_for`) and for every
    lead at once (`services.conversations.lead_sight_lost`)."""
    leads_there = RoleGrant.objects.filter(
        user=OuterRef("lead"),
        role=Role.ORGANISATION_LEAD,
        revoked_at__isnull=True,
        organisation=OuterRef("organisation"),
    )
    standing = Candidacy.objects.filter(
        person=OuterRef("person"), organisation=OuterRef("organisation"), created_at__lte=OuterRef("created_at")
    )
    return Q(Exists(leads_there)) & Q(Exists(standing))


def conversations_for(*, user: User) -> QuerySet[TalentConversation]:
    """The talent conversations `user` may read: their own, and, as a lead, those `lead_sees_conversation` allows
    them. The person keeps theirs whatever happens to the lead's sight of them."""
    organisation_id = led_organisation_id(user=user)
    mine = Q(person=user)
    if organisation_id is None:
        return TalentConversation.objects.filter(mine)
    as_lead = Q(lead=user, organisation_id=organisation_id) & lead_sees_conversation()
    return TalentConversation.objects.filter(mine | as_lead)


# --- A person putting themself forward (views_forward) ----------------------------------------------------------


def my_candidacies(*, person: User) -> QuerySet[Candidacy]:
    """The person's own candidacies with what their page names: the organisation, the post, the lead whose view
    is shown. One query."""
    return (
        candidacies_of(person=person)
        .select_related("organisation", "post", "lead_by")
        .order_by("organisation__name", "-level", "pk")
    )


def my_candidacy(*, person: User, candidacy_id: int) -> Candidacy | None:
    """One of the person's own candidacies; another person's is as if it did not exist."""
    return my_candidacies(person=person).filter(pk=candidacy_id).first()


def organisation_taking_part(*, organisation_id: int) -> Organisation | None:
    return organisations_taking_part().filter(pk=organisation_id).first()


def posts_to_stand_for(*, organisation: Organisation) -> QuerySet[Post]:
    """The posts someone may put themself forward for at an organisation taking part: their titles and levels are
    what the choice shows (never who holds them)."""
    return Post.objects.filter(organisation=organisation).order_by("-level", "title", "pk")


def my_conversations(*, person: User) -> QuerySet[TalentConversation]:
    """The person's own talent conversations, newest first, with the organisation each was at."""
    return conversations_for(user=person).filter(person=person).select_related("organisation")


# --- Vacancies with no one ready, talent conversations ahead (the daily reminder, the dashboard) ----------------

VACANCY_WINDOW_MONTHS = 6


def vacancy_window_end(today: date) -> date:
    """The last day of the six months from `today` (the same day of the month, or the month's last day)."""
    return months_after(datetime.combine(today, time(12), tzinfo=UTC), VACANCY_WINDOW_MONTHS).date()


def posts_uncovered(*, today: date) -> QuerySet[Post]:
    """Posts expected to fall vacant from today to six months on with no one ready now: nobody who stands forward
    for the post itself, or for its level at its organisation, gives their readiness as ready now. The person's
    own word counts here, not the lead's view beside it."""
    ready = Candidacy.objects.filter(readiness=Readiness.READY_NOW)
    for_post = ready.filter(post=OuterRef("pk"))
    for_level = ready.filter(post__isnull=True, organisation=OuterRef("organisation"), level=OuterRef("level"))
    return Post.objects.filter(expected_vacancy__gte=today, expected_vacancy__lte=vacancy_window_end(today)).exclude(
        Exists(for_post) | Exists(for_level)
    )


def uncovered_count_for_lead(*, lead: User, today: date) -> int:
    """How many posts of the organisation `lead` leads fall vacant within six months with no one ready now."""
    organisation_id = led_organisation_id(user=lead)
    if organisation_id is None:
        return 0
    return posts_uncovered(today=today).filter(organisation_id=organisation_id).count()


def next_conversation_of(*, person: User, today: date) -> TalentConversation | None:
    """The person's own next talent conversation: the nearest meet-again date from today on."""
    return (
        TalentConversation.objects.filter(person=person, meet_again_on__gte=today)
        .select_related("organisation", "lead")
        .order_by("meet_again_on", "pk")
        .first()
    )


# --- An organisation lead's posts (views_posts) -------------------------------------------------------------------


@dataclass(frozen=True)
class PostRow:
    post: Post
    falling_vacant: bool  # expected to fall vacant within six months (the reminder's window)


@dataclass(frozen=True)
class PostLevel:
    level: int
    label: str
    rows: list[PostRow]


def posts_by_level(*, lead: User, today: date) -> list[PostLevel]:
    """The posts of the organisation `lead` leads, medical director first, each with its holder: one query
    however many posts there are. Levels with no post are left out."""
    window_end = vacancy_window_end(today)
    groups: dict[int, list[PostRow]] = {}
    for post in posts_for_lead(lead=lead).select_related("holder").order_by("-level", "title", "pk"):
        vacant = post.expected_vacancy is not None and post.expected_vacancy <= window_end
        groups.setdefault(post.level, []).append(PostRow(post=post, falling_vacant=vacant))
    return [PostLevel(level, LeadershipLevel(level).label, rows) for level, rows in groups.items()]


def post_for_lead(*, lead: User, post_id: int) -> Post | None:
    """One post of the organisation `lead` leads, with how many people stand forward for it; another
    organisation's post is as if it did not exist."""
    return (
        posts_for_lead(lead=lead)
        .select_related("holder")
        .annotate(standing_forward=Count("candidacies"))
        .filter(pk=post_id)
        .first()
    )


def possible_holders(*, organisation: Organisation) -> QuerySet[User]:
    """Who a lead may name, from the portal, as holding a post of `organisation`: active people whose profile is there
    and who have given their name, AND whom the leads already see there — people standing forward at it, its
    leads, and holders already named. Listing everyone at the organisation would tell its leads who is on the portal,
    which none of them chose; anyone else is named by typing their name."""
    standing = Candidacy.objects.filter(person=OuterRef("pk"), organisation=organisation)
    leading = RoleGrant.objects.filter(
        user=OuterRef("pk"), organisation=organisation, role=Role.ORGANISATION_LEAD, revoked_at__isnull=True
    )
    holding = Post.objects.filter(holder=OuterRef("pk"), organisation=organisation)
    return (
        User.objects.filter(is_active=True, profile__organisation=organisation)
        .filter(Exists(standing) | Exists(leading) | Exists(holding))
        .exclude(first_name="", last_name="")
        .order_by("last_name", "first_name", "pk")
    )


def standing_forward_for_dashboard(*, person: User, today: date) -> QuerySet[Candidacy]:
    """One query: where the person stands forward, each with the organisation, the post, and their next talent
    conversation there (`next_conversation_id`, `next_conversation_on`: the nearest meet-again date from today)."""
    upcoming = TalentConversation.objects.filter(
        person=OuterRef("person"), organisation=OuterRef("organisation"), meet_again_on__gte=today
    ).order_by("meet_again_on", "pk")
    return (
        candidacies_of(person=person)
        .select_related("organisation", "post")
        .annotate(
            next_conversation_id=Subquery(upcoming.values("pk")[:1]),
            next_conversation_on=Subquery(upcoming.values("meet_again_on")[:1]),
        )
        .order_by("organisation__name", "-level", "pk")
    )

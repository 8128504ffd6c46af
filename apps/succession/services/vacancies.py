"""The daily look for posts falling vacant with no one ready: each post expected to fall vacant within six months
(and not yet past) with no one ready now (`selectors.posts_uncovered`) is named to each live lead of its
organisation.

Before that, the sweep (`reminders_sweep`): every reminder still waiting that names people or posts to someone who
can no longer see them is cancelled, so that the day's reminders (the meet-again ones at nine) do not reach them:
a lead's meet-again reminder for a conversation they can no longer see, and a vacancy reminder to someone who no
longer leads the post's organisation. Accounts revokes and moves grants, and cannot call succession (the layers),
so the daily task catches what such a change left behind; two updates however many reminders.

Once per post, lead and vacancy date: the date is in the reminder's key, so a run the next day finds the reminder
already there and sends nothing more, while a post whose expected date moves is named again for the new date. A
few queries however many posts: the posts with their organisations, their leads, then `schedule_many`."""

from collections import defaultdict
from datetime import datetime

from django.db import transaction
from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.db.models.lookups import StartsWith
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, RoleGrant, User
from apps.notifications.services import Scheduled, cancel_unsent_where, schedule_many

from ..models import Post
from ..selectors import posts_uncovered
from .conversations import unseen_meeting_reminders

KIND = "succession_vacancy_uncovered"
MEETING_KIND = "talent_conversation_due"


def vacancy_key(post: Post, lead: User) -> str:
    assert post.expected_vacancy is not None
    return f"succession-vacancy:{post.pk}:{lead.pk}:{post.expected_vacancy.isoformat()}"


def _leads_by_organisation(organisation_ids: set[int]) -> dict[int, list[User]]:
    """One query: the live leads of these organisations (an active account, a grant not revoked)."""
    grants = RoleGrant.objects.filter(
        organisation_id__in=organisation_ids,
        role=Role.ORGANISATION_LEAD,
        revoked_at__isnull=True,
        user__is_active=True,
    ).select_related("user")
    leads: dict[int, list[User]] = defaultdict(list)
    for grant in grants.order_by("user_id"):
        assert grant.organisation_id is not None
        if all(lead.pk != grant.user_id for lead in leads[grant.organisation_id]):
            leads[grant.organisation_id].append(grant.user)
    return leads


def unled_vacancy_reminders() -> Q:
    """Which vacancy reminders still wait for someone who no longer leads the post's organisation (their grant
    revoked or moved), or whose post is gone, as a condition for `notifications.services.cancel_unsent_where`: a
    reminder is kept only where a post under its key (`succession-vacancy:{post}:`) belongs to an organisation its
    recipient leads now."""
    leads_it = RoleGrant.objects.filter(
        user=OuterRef(OuterRef("recipient_id")),
        role=Role.ORGANISATION_LEAD,
        revoked_at__isnull=True,
        organisation=OuterRef("organisation"),
    )
    led_post = (
        Post.objects.filter(Exists(leads_it))
        .annotate(
            prefix=Concat(Value("succession-vacancy:"), Cast("pk", CharField()), Value(":"), output_field=CharField())
        )
        .filter(StartsWith(OuterRef("dedupe_key"), F("prefix")))
    )
    return ~Q(Exists(led_post))


@transaction.atomic
def reminders_sweep() -> int:
    """Cancel what still waits to name people or posts to someone who can no longer see them (the module's
    docstring says which). Run daily before `vacancies_remind`; safe to run twice. Returns how many stopped."""
    return cancel_unsent_where(kind=MEETING_KIND, condition=unseen_meeting_reminders()) + cancel_unsent_where(
        kind=KIND, condition=unled_vacancy_reminders()
    )


def vacancies_remind(*, now: datetime) -> int:
    """Tell each organisation's leads of its posts falling vacant within six months with no one ready now. Safe to
    run twice or late: a reminder already made for a post, lead and date is not made again. Returns how many
    reminders are waiting to be sent."""
    posts = list(posts_uncovered(today=timezone.localdate(now)).select_related("organisation").order_by("pk"))
    leads = _leads_by_organisation({post.organisation_id for post in posts})
    url = reverse("succession:pipeline")
    items = [
        Scheduled(
            recipient=lead,
            kind=KIND,
            due_at=now,
            dedupe_key=vacancy_key(post, lead),
            context={
                "post_title": post.title,
                "organisation": post.organisation.name,
                "expected_vacancy": post.expected_vacancy.isoformat() if post.expected_vacancy else "",
                "url": url,
            },
        )
        for post in posts
        for lead in leads.get(post.organisation_id, [])
    ]
    if not items:
        return 0
    return schedule_many(items)

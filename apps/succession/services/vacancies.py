"""The daily look for posts falling vacant with no one ready: each post expected to fall vacant within six months
(and not yet past) with no one ready now (`selectors.posts_uncovered`) is named to each live lead of its
organisation.

Once per post, lead and vacancy date: the date is in the reminder's key, so a run the next day finds the reminder
already there and sends nothing more, while a post whose expected date moves is named again for the new date. A
few queries however many posts: the posts with their organisations, their leads, then `schedule_many`."""

from collections import defaultdict
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, RoleGrant, User
from apps.notifications.services import Scheduled, schedule_many

from ..models import Post
from ..selectors import posts_uncovered


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
            kind="succession_vacancy_uncovered",
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

"""What every page's layout needs: the portal name and the navigation the signed-in person may use."""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role
from apps.accounts.selectors import user_roles
from apps.notifications.selectors import unread_count


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


def _navigation(request: HttpRequest) -> list[NavItem]:
    if not request.user.is_authenticated:
        return []
    roles = user_roles(user=request.user)
    entries = [
        ("Dashboard", reverse("core:dashboard")),
        ("Your profile", reverse("profiles:detail")),
        ("Self-assessment", reverse("assessments:list")),
        ("Development plan", reverse("development:list")),
        ("Mentoring", reverse("mentoring:home")),
        ("Learning sets", reverse("learning_sets:programmes")),
        ("Careers and roles", reverse("careers:home")),
        ("Talk to someone in the role", reverse("shadowing:browse")),
        ("Networks and forums", reverse("networks:home")),
        ("Frameworks", reverse("competencies:list")),
    ]
    if Role.MENTOR in roles or Role.ORGANISER in roles:
        entries.append(("Shared with you", reverse("assessments:shared_list")))
    if Role.ORGANISER in roles:
        entries.append(("Mentoring schemes", reverse("mentoring:schemes")))
    if Role.ORGANISER in roles or Role.ADMINISTRATOR in roles:
        entries.append(("Community overview", reverse("core:overview")))
    if Role.ADMINISTRATOR in roles:
        entries.append(("People and roles", reverse("accounts:people")))
        entries.append(("Organisations", reverse("organisations:list")))
    return [NavItem(label, url, request.path == url) for label, url in entries]


def portal(request: HttpRequest) -> dict[str, object]:
    context: dict[str, object] = {
        "portal_name": settings.PORTAL_NAME,
        "portal_contact_email": settings.PORTAL_CONTACT_EMAIL,
        "portal_navigation": _navigation(request),
    }
    if request.user.is_authenticated:
        context["unread_notifications"] = unread_count(user=request.user, now=timezone.now())
    return context

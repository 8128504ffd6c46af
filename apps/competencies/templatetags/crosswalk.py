"""The way into the crosswalk from a framework's page, shown to administrators only (they alone may edit it)."""

from django import template

from apps.accounts.models import Role
from apps.accounts.selectors import user_roles

from ..models import Framework

register = template.Library()


@register.inclusion_tag("competencies/_crosswalk_link.html", takes_context=True)
def crosswalk_link(context: template.Context, framework: Framework) -> dict[str, object]:
    request = context.get("request")
    user = getattr(request, "user", None)
    shown = user is not None and Role.ADMINISTRATOR in user_roles(user=user)
    return {"shown": shown, "framework": framework}

"""`{{ asked.requester|display_name }}`: a person in "talk to someone in the role" by their name, never their
e-mail address (see apps.shadowing.names)."""

from django import template

from apps.accounts.models import User

from .. import names

register = template.Library()


@register.filter
def display_name(person: User | None) -> str:
    return names.display_name(person)

"""People in templates. Someone who closed their account leaves null keys behind in what others keep (a pair's
meeting log, a set's attendance and notes): pages name them "a former member" instead of printing nothing."""

from django import template

from ..models import FORMER_MEMBER, User

register = template.Library()


@register.filter
def member_name(person: User | None) -> str:
    """`{{ relationship.mentor|member_name }}`: their name (never their address), or "a former member" once their
    account is closed. Add `|capfirst` at the start of a sentence."""
    return FORMER_MEMBER if person is None else person.display_name

"""Words for mentoring pages: the criteria a mentee asked for help with, named as a person reads them."""

from django import template
from django.template.context import Context

from ..scoring import criterion_name
from ..selectors import criterion_titles

register = template.Library()
_TITLES = "mentoring_words.titles"


def _titles(context: Context) -> dict[str, str]:
    """The titles are read once per page, however many requests the page lists."""
    if _TITLES not in context.render_context:
        context.render_context[_TITLES] = criterion_titles()
    titles: dict[str, str] = context.render_context[_TITLES]
    return titles


@register.simple_tag(takes_context=True)
def focus_names(context: Context, codes: list[str]) -> str:
    """“Leading job planning, appraisal and medical governance” (EXP-3), …"""
    titles = _titles(context)
    return ", ".join(criterion_name(code, titles) for code in codes)


@register.simple_tag(takes_context=True)
def focus_titles(context: Context, codes: list[str]) -> list[str]:
    """Each criterion's title, for a list (the code where a criterion is not known)."""
    titles = _titles(context)
    return [titles.get(code, code) for code in codes]

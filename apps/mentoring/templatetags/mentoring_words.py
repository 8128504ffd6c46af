"""Words for mentoring pages: the criteria a mentee asked for help with, named as a person reads them."""

from django import template
from django.template.context import Context

from ..proposals import _titles
from ..scoring import criterion_name

register = template.Library()
_TITLES = "mentoring_words.titles"


@register.simple_tag(takes_context=True)
def focus_names(context: Context, codes: list[str]) -> str:
    """“Leading job planning, appraisal and medical governance” (EXP-3), …: the titles are read once per page,
    however many requests the page lists."""
    if _TITLES not in context.render_context:
        context.render_context[_TITLES] = _titles()
    titles = context.render_context[_TITLES]
    return ", ".join(criterion_name(code, titles) for code in codes)

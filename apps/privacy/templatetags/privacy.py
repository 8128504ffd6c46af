"""The retention rules in templates, so that the privacy page says exactly what the daily run does."""

from django import template
from django.conf import settings

from ..retention import RULES, Rule

register = template.Library()


@register.simple_tag
def retention_rules() -> tuple[Rule, ...]:
    """`{% retention_rules as rules %}`."""
    return RULES


@register.simple_tag
def report_min_count() -> int:
    """The smallest count a report shows (PRODUCT.md: counts under 5 are hidden), as configured."""
    return int(settings.REPORT_MIN_COUNT)

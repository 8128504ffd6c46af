"""How a page names a criterion: by its title, with its code after it for reference (people read titles)."""

from django import template

from ..models import Criterion

register = template.Library()


@register.filter
def criterion_name(criterion: Criterion) -> str:
    """“Leading job planning, appraisal and medical governance” (EXP-3)."""
    return f"“{criterion.title}” ({criterion.code})"


@register.filter
def criterion_names(criteria: list[Criterion]) -> str:
    """Several criteria, each by name: “…” (EXP-3), “…” (SKI-8)."""
    return ", ".join(criterion_name(criterion) for criterion in criteria)

from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: dict[Any, Any], key: Any) -> Any:
    """`{{ labels|lookup:key }}`: a dictionary's value by a key the template holds, or nothing."""
    return mapping.get(key) if key is not None else None

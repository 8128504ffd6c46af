"""The form renderer (settings.FORM_RENDERER): Django's own, with the widgets rendered once per option in Python.

Django renders a select through one template include per option, and every radio or checkbox through two (the
option and its input): about 0.35 ms each. The profile form's 250 organisations, the notification choices' 150
radios and the learning-set application's selects spent 70–90% of their server time there (issue 20). These few
templates are tiny and fixed, so they are written out here as string building, character for character what the
templates give (tests/core/test_form_renderer.py compares the two on random widgets); any other template, and any
option with a template of its own, still goes through Django's templates.
"""

import html
from collections.abc import Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, SafeString, mark_safe

_WIDGETS = "django/forms/widgets/"
SELECT = _WIDGETS + "select.html"
SELECT_OPTION = _WIDGETS + "select_option.html"
INPUT = _WIDGETS + "input.html"
INPUT_OPTIONS = {_WIDGETS + "radio_option.html", _WIDGETS + "checkbox_option.html", _WIDGETS + "input_option.html"}
# How a template prints a value: localised, escaped unless safe (render_value_in_context needs a Context).
_CONTEXT = Context(autoescape=True)


def template_text(value: Any) -> str:
    """`{{ value }}`: a plain or safe string directly (what the general path gives them), anything else through
    Django's own conversion."""
    kind = type(value)
    if kind is str:
        return html.escape(value)
    if kind is SafeString:
        return value
    return render_value_in_context(value, _CONTEXT)


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: the filter keeps a safe value safe (it is registered is_safe)."""
    text = stringformat(value, "s")
    return template_text(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308 - safe already


def _attrs(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {template_text(name)}" if value is True else f' {template_text(name)}="{_formatted(value)}"')
    return "".join(parts)


def _input(widget: Mapping[str, Any]) -> str:
    """django/forms/widgets/input.html, its final newline included (an include keeps it)."""
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value != None else ""  # noqa: E711 - the template's `!= None`
    kind, name = template_text(widget["type"]), template_text(widget["name"])
    return f'<input type="{kind}" name="{name}"{shown}{_attrs(widget["attrs"])}>\n'


def _input_option(widget: Mapping[str, Any]) -> str:
    """django/forms/widgets/input_option.html (radio_option.html and checkbox_option.html include it)."""
    if not widget.get("wrap_label"):
        return _input(widget) + "\n"
    element_id = widget["attrs"].get("id")
    label_for = f' for="{template_text(element_id)}"' if element_id else ""
    return f"<label{label_for}>{_input(widget)} {template_text(widget['label'])}</label>\n"


def _select(widget: Mapping[str, Any]) -> str:
    """django/forms/widgets/select.html with select_option.html for each option."""
    parts = [f'<select name="{template_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{template_text(group_name)}">')
        for option in group_choices:
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{template_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


class FastWidgetRenderer(DjangoTemplates):
    """Django's DjangoTemplates renderer, with selects, inputs and radio or checkbox options built in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, Mapping) and set(context) == {"widget"}:
            if template_name == SELECT and all(
                option.get("template_name") == SELECT_OPTION
                for _name, options, _index in widget["optgroups"]
                for option in options
            ):
                return _select(widget).strip()
            if template_name == INPUT:
                return _input(widget).strip()
            if template_name in INPUT_OPTIONS:
                return _input_option(widget).strip()
        return super().render(template_name, context, request=request)

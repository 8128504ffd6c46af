"""Helpers for the NHS.UK crispy-forms template pack (templates/nhsuk/) and the allauth element templates.

Widgets are always rendered by Django (``BoundField.as_widget`` or the widget's own option templates), so
every attribute a form sets on a widget (autocomplete, inputmode, placeholder, data-*) survives; these helpers
only add the NHS.UK classes, the ``aria-describedby`` ids and the error variants on top.
"""

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField, BoundWidget
from django.forms.formsets import BaseFormSet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from apps.core.form_renderer import template_text

register = template.Library()

# Classes for each kind of field: (base classes, class added when the field is in error).
_WIDGET_CLASSES: dict[str, tuple[list[str], str]] = {
    "input": (["nhsuk-input"], "nhsuk-input--error"),
    "password": (
        ["nhsuk-input", "nhsuk-password-input__input", "nhsuk-js-password-input-input"],
        "nhsuk-input--error",
    ),
    "textarea": (["nhsuk-textarea"], "nhsuk-textarea--error"),
    "select": (["nhsuk-select"], "nhsuk-select--error"),
    "file": (["nhsuk-file-upload__input"], ""),
    "checkbox": (["nhsuk-checkboxes__input"], ""),
    "radios": (["nhsuk-radios__input"], ""),
    "checkboxes": (["nhsuk-checkboxes__input"], ""),
}
# Labels and widths for the parts of a date (SelectDateWidget or a MultiWidget named day/month/year).
_PART_LABELS = {"day": "Day", "month": "Month", "year": "Year", "date": "Date", "time": "Time"}
_PART_WIDTHS = {
    "day": "nhsuk-input--width-2",
    "month": "nhsuk-input--width-2",
    "year": "nhsuk-input--width-4",
}


def _merge_classes(*groups: str | list[str] | None) -> str:
    seen: list[str] = []
    for group in groups:
        if not group:
            continue
        for name in group.split() if isinstance(group, str) else group:
            if name and name not in seen:
                seen.append(name)
    return " ".join(seen)


def field_kind(field: BoundField) -> str:
    """Which NHS.UK component renders this field."""
    widget = field.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.SelectDateWidget | forms.MultiWidget):
        return "date"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    return "input"


@dataclass
class ChoiceItem:
    id: str
    label: str
    tag: SafeString
    checked: bool


@dataclass
class DatePart:
    id: str
    label: str
    tag: SafeString


class NhsukField:
    """Everything a template needs to render one bound field as an NHS.UK form group."""

    def __init__(self, field: BoundField, show_errors: bool = True, inline: bool = False) -> None:
        self.field = field
        self.kind = field_kind(field)
        self.show_errors = show_errors
        self.inline = inline
        widget = field.field.widget
        self.id: str = widget.attrs.get("id") or field.auto_id or ""
        self.label_for: str = field.id_for_label if self.kind not in ("radios", "checkboxes", "date") else ""
        self.errors: list[str] = [str(e) for e in field.errors] if show_errors else []
        self.has_error = bool(self.errors)
        self.help_text = field.help_text
        self.hint_id = f"{self.id}-hint" if self.id and self.help_text else ""
        self.error_id = f"{self.id}-error" if self.id and self.has_error else ""
        self.required = field.field.required
        # A single checkbox is an answer, not a question: "(optional)" would read oddly after it.
        # Some labels already say "(optional)" where it reads better mid-sentence; never say it twice.
        labelled = "(optional)" in str(field.label or "")
        self.optional = not self.required and self.kind not in ("hidden", "checkbox") and not labelled
        described = [widget.attrs.get("aria-describedby", ""), self.hint_id, self.error_id]
        self.describedby = " ".join(d for d in described if d)

    def _widget_attrs(self, extra_class: str = "") -> dict[str, Any]:
        widget = self.field.field.widget
        base, error_class = _WIDGET_CLASSES.get(self.kind, ([], ""))
        attrs: dict[str, Any] = {
            "class": _merge_classes(base, widget.attrs.get("class"), extra_class, error_class if self.has_error else "")
        }
        is_email = isinstance(widget, forms.EmailInput) or widget.attrs.get("type") == "email"
        no_spellcheck = self.kind == "password" or is_email
        if no_spellcheck and "spellcheck" not in widget.attrs:
            attrs["spellcheck"] = "false"
        if self.kind == "password" and "autocapitalize" not in widget.attrs:
            attrs["autocapitalize"] = "none"
        return attrs

    def render_widget(self, extra_class: str = "") -> SafeString:
        attrs = self._widget_attrs(extra_class)
        if self.describedby:
            attrs["aria-describedby"] = self.describedby
        return self.field.as_widget(attrs=attrs)

    @cached_property
    def widget(self) -> SafeString:
        return self.render_widget()

    @cached_property
    def choices(self) -> list[ChoiceItem]:
        """The options of a RadioSelect or CheckboxSelectMultiple, each input rendered by Django."""
        field = self.field
        widget = field.field.widget
        attrs: dict[str, Any] = {"id": self.id} if self.id else {}
        attrs = field.build_widget_attrs(attrs)
        attrs.pop("aria-describedby", None)  # it goes on the fieldset
        attrs["class"] = self._widget_attrs()["class"]
        items = []
        for option in widget.subwidgets(field.html_name, field.value(), attrs=attrs):
            bound = BoundWidget(widget, option, field.form.renderer)
            items.append(
                ChoiceItem(
                    id=option["attrs"].get("id", ""),
                    label=bound.choice_label,
                    tag=bound.tag(wrap_label=False),
                    checked=bool(option.get("selected")),
                )
            )
        return items

    @cached_property
    def parts(self) -> list[DatePart]:
        """The inputs of a date (SelectDateWidget or a MultiWidget), each rendered by Django."""
        field = self.field
        widget = field.field.widget
        attrs: dict[str, Any] = {"id": self.id} if self.id else {}
        attrs = field.build_widget_attrs(attrs, widget)
        attrs.pop("aria-describedby", None)  # it goes on the fieldset
        context = widget.get_context(field.html_name, field.value(), attrs)
        subwidgets = context["widget"].get("subwidgets", [])
        parts = []
        for index, sub in enumerate(subwidgets):
            suffix = str(sub.get("name", ""))[len(field.html_name) :].strip("_-").lower()
            if isinstance(widget, forms.SplitDateTimeWidget):
                suffix = ("date", "time")[index] if index < 2 else suffix
            label = _PART_LABELS.get(suffix) or (suffix.capitalize() if not suffix.isdigit() else "")
            label = label or f"Part {index + 1}"
            is_select = sub.get("template_name", "").endswith("select.html")
            base = ["nhsuk-select"] if is_select else ["nhsuk-input", "nhsuk-date-input__input"]
            error_class = ""
            if self.has_error:
                error_class = "nhsuk-select--error" if is_select else "nhsuk-input--error"
            sub_attrs = dict(sub.get("attrs", {}))
            width = "" if is_select else _PART_WIDTHS.get(suffix, "")
            sub_attrs["class"] = _merge_classes(base, sub_attrs.get("class"), width, error_class)
            if not is_select and suffix in _PART_WIDTHS:
                sub_attrs.setdefault("inputmode", "numeric")
            sub = {**sub, "attrs": sub_attrs}
            tag = mark_safe(field.form.renderer.render(sub["template_name"], {"widget": sub}))  # noqa: S308
            parts.append(DatePart(id=sub_attrs.get("id", ""), label=label, tag=tag))
        return parts

    @cached_property
    def target(self) -> str:
        """The id the error summary links to: the input itself, or the first option or part."""
        if self.kind == "hidden":
            return ""
        if self.kind in ("radios", "checkboxes"):
            # BoundField.subwidgets is cached on the form: no second query for model choices.
            options = self.field.subwidgets
            return options[0].data["attrs"].get("id", "") if options else self.id
        if self.kind == "date":
            return self.parts[0].id if self.parts else self.id
        return self.label_for or self.id


@register.simple_tag(takes_context=True)
def nhsuk_field(context: template.Context, field: BoundField) -> NhsukField:
    """``{% nhsuk_field field as f %}``: ids, classes and rendered widget for one field."""
    show_errors = context.get("form_show_errors", True) is not False
    inline = bool(context.get("inline_class"))
    return NhsukField(field, show_errors=show_errors, inline=inline)


def _context_class(context: template.Context, name: str) -> str:
    """`{% if name %} {{ name }}{% endif %}` for a class the crispy helper may set."""
    value = context.get(name)
    return f" {template_text(value)}" if value else ""


def legend_html(f: NhsukField, context: template.Context) -> str:
    """nhsuk/layout/legend.html, its final newline included."""
    hidden = " nhsuk-u-visually-hidden" if context.get("form_show_labels") is False else ""
    optional = " (optional)" if f.optional else ""
    label_class = _context_class(context, "label_class")
    label = template_text(f.field.label)
    return f'<legend class="nhsuk-fieldset__legend{label_class}{hidden}">{label}{optional}</legend>\n'


def help_text_html(f: NhsukField, context: template.Context) -> str:
    """nhsuk/layout/help_text.html, its final newline included: the hint is the form's own markup (`|safe`)."""
    if not f.help_text:
        return "\n"
    hint_id = f' id="{template_text(f.hint_id)}"' if f.hint_id else ""
    return f'<div class="nhsuk-hint{_context_class(context, "hint_class")}"{hint_id}>{f.help_text}</div>\n'


def field_errors_html(f: NhsukField) -> str:
    """nhsuk/layout/field_errors.html, its final newline included."""
    if not f.has_error:
        return "\n"
    error_id = f' id="{template_text(f.error_id)}"' if f.error_id else ""
    messages = "<br>".join(template_text(error) for error in f.errors)
    hidden = '<span class="nhsuk-u-visually-hidden">Error: </span>'
    return f'<span class="nhsuk-error-message"{error_id}>{hidden}{messages}</span>\n'


def choice_items_html(items: list[ChoiceItem], component: str, indent: str = "") -> str:
    """Each option as an NHS.UK radio or checkbox item: the input as Django renders it, then its label."""
    parts = []
    for item in items:
        label_for = f' for="{template_text(item.id)}"' if item.id else ""
        label = template_text(item.label)
        parts.append(
            f'\n{indent}<div class="nhsuk-{component}__item">\n{indent}  {item.tag}\n'
            f'{indent}  <label class="nhsuk-label nhsuk-{component}__label"{label_for}>{label}</label>'
            f"\n{indent}</div>\n{indent[:-2]}"
        )
    return "".join(parts)


@register.simple_tag
def nhsuk_choice_items(field: BoundField, component: str) -> SafeString:
    """``{% nhsuk_choice_items field "checkboxes" %}``: a field's options as NHS.UK items, for a fieldset a page
    lays out itself (the weekly-times grid). Each input is the widget's own, with its attributes and id."""
    items = [
        ChoiceItem(id=box.id_for_label, label=box.choice_label, tag=box.tag(), checked=bool(box.data.get("selected")))
        for box in field.subwidgets
    ]
    return mark_safe(choice_items_html(items, component, indent="      "))  # noqa: S308 - escaped in the helper


@register.simple_tag(takes_context=True)
def nhsuk_choices(context: template.Context, f: NhsukField) -> SafeString:
    """A RadioSelect or CheckboxSelectMultiple as NHS.UK radios or checkboxes in a fieldset, built in Python.

    Character for character what the template it replaced gave (tests/core/reference/choices.html is that template;
    tests/core/test_nhsuk_choices.py compares the two): a page of 50 radio groups spent 90% of its time in the
    template engine (issue 20).
    """
    component = f.kind
    error = " nhsuk-form-group--error" if f.has_error else ""
    wrappers = _context_class(context, "form_group_wrapper_class") + _context_class(context, "wrapper_class")
    describedby = f' aria-describedby="{template_text(f.describedby)}"' if f.describedby else ""
    inline = f" nhsuk-{component}--inline" if f.inline else ""
    html = (
        f'<div class="nhsuk-form-group{error}{wrappers}">\n'
        f'  <fieldset class="nhsuk-fieldset"{describedby}>\n'
        f"    {legend_html(f, context)}\n"
        f"    {help_text_html(f, context)}\n"
        f"    {field_errors_html(f)}\n"
        f'    <div class="nhsuk-{component}{inline}" data-module="nhsuk-{component}">\n'
        f"      {choice_items_html(f.choices, component, indent='        ')}\n"
        "    </div>\n"
        "  </fieldset>\n"
        "</div>\n"
    )
    return mark_safe(html)  # noqa: S308 - every value above is escaped by template_text or rendered by Django


@dataclass
class SummaryItem:
    target: str
    message: str


# Django's own wording does not say which field it means ("This field is required."): in the summary, away from
# the field, such a message is prefixed with the field's label. Our forms word their own messages.
_GENERIC = ("This field", "Enter a valid", "Select a valid", "Ensure this value")
_GENERIC_WHOLE = {"Enter a whole number.", "Enter a number."}


def _named(field: Any, message: str) -> str:
    if field.label and (message.startswith(_GENERIC) or message in _GENERIC_WHOLE):
        return f"{str(field.label).rstrip('?: ')}: {message[0].lower()}{message[1:]}"
    return message


def _form_summary(form: forms.BaseForm) -> list[SummaryItem]:
    items = [SummaryItem("", str(e)) for e in form.non_field_errors()]
    for field in form:
        if not field.errors:
            continue
        info = NhsukField(field)
        for message in info.errors:
            if info.kind == "hidden":
                # There is nothing to link to: name the field so the message makes sense.
                items.append(SummaryItem("", f"{field.label}: {message}" if field.label else message))
            else:
                items.append(SummaryItem(info.target, _named(field, message)))
    return items


@register.simple_tag
def nhsuk_error_summary(form: Any) -> list[SummaryItem]:
    """``{% nhsuk_error_summary form as items %}``: every error of a form or formset, in page order."""
    if form is None or not hasattr(form, "errors"):
        return []
    if isinstance(form, BaseFormSet):
        items = [SummaryItem("", str(e)) for e in form.non_form_errors()]
        for member in form.forms:
            items.extend(_form_summary(member))
        return items
    if not form.is_bound:
        return []
    return _form_summary(form)


@register.filter
def nhsuk_button_classes(button: Any) -> str:
    """NHS.UK classes for a crispy BaseInput/StrictButton: drops Bootstrap's ``btn*`` classes."""
    raw = str(getattr(button, "field_classes", "") or "")
    dropped = ("hidden", "submit", "submitButton")
    kept = [c for c in raw.split() if not c.startswith("btn") and c not in dropped]
    classes = ["nhsuk-button"]
    input_type = getattr(button, "input_type", "submit")
    if input_type in ("button", "reset") and not any(c.startswith("nhsuk-button--") for c in kept):
        classes.append("nhsuk-button--secondary")
    return _merge_classes(classes, kept)


@register.filter
def nhsuk_badge_colour(tags: Any) -> str:
    """The nhsuk-tag colour modifier for an allauth badge's tags."""
    tags = list(tags or [])
    for tag, colour in (("success", "green"), ("warning", "orange"), ("danger", "red"), ("current", "green")):
        if tag in tags:
            return f"nhsuk-tag--{colour}"
    return ""


@register.filter
def nhsuk_button_modifier(tags: Any) -> str:
    """The nhsuk-button modifiers for an allauth button's tags."""
    tags = list(tags or [])
    classes = []
    if "danger" in tags or "delete" in tags:
        classes.append("nhsuk-button--warning")
    elif "secondary" in tags or "outline" in tags or "link" in tags:
        classes.append("nhsuk-button--secondary")
    if "minor" in tags:
        classes.append("nhsuk-button--small")
    return " ".join(classes)


_CLASS_ATTR = re.compile(r'\sclass="([^"]*)"')


@register.filter
def nhsuk_strict_button_attrs(flat_attrs: str) -> SafeString:
    """A StrictButton's flattened attributes with its Bootstrap classes replaced by NHS.UK button classes."""
    flat_attrs = str(flat_attrs or "")
    match = _CLASS_ATTR.search(flat_attrs)
    kept = [c for c in (match.group(1).split() if match else []) if not c.startswith("btn")]
    secondary = [] if any(c.startswith("nhsuk-button--") for c in kept) else ["nhsuk-button--secondary"]
    classes = escape(_merge_classes(["nhsuk-button"], secondary, kept))
    rest = _CLASS_ATTR.sub("", flat_attrs)
    return mark_safe(f' class="{classes}"{rest}')  # noqa: S308 - rest was escaped by flatatt, classes above


@register.filter(is_safe=True)
def squash(value: str) -> str:
    """Collapse runs of white space to one space and trim: for page titles built from indented blocks."""
    return " ".join(str(value).split())


_THEAD = re.compile(r"(<thead\b.*?)(</tr>)", re.S)
_FIRST_BODY_ROW = re.compile(r"<tbody\b.*?<tr\b(.*?)</tr>", re.S)


@register.filter(is_safe=True)
def pad_header_row(table_html: str, label: str = "Status") -> SafeString:
    """Give every column of a rendered table a header cell (visually hidden), for screen-reader navigation.

    allauth's sessions table has a last column (the "Current" badge) with no header.
    """
    html = str(table_html)
    head = _THEAD.search(html)
    row = _FIRST_BODY_ROW.search(html)
    if not head or not row:
        return mark_safe(html)  # noqa: S308 - the slot content was rendered (and escaped) by the page
    missing = len(re.findall(r"<t[dh]\b", row.group(1))) - len(re.findall(r"<th\b", head.group(1)))
    if missing <= 0:
        return mark_safe(html)  # noqa: S308
    cell = (
        f'<th class="nhsuk-table__header" scope="col"><span class="nhsuk-u-visually-hidden">{escape(label)}</span></th>'
    )
    html = html[: head.start(2)] + cell * missing + html[head.start(2) :]
    return mark_safe(html)  # noqa: S308

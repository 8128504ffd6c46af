"""The form renderer builds selects, inputs and radio or checkbox options in Python: character for character what
Django's own templates give, on random widgets (labels with markup, safe strings, numbers, optgroups, selected
values, attributes true, false, empty or numeric)."""

from typing import Any

from django import forms
from django.forms.boundfield import BoundWidget
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import ChoiceWidget
from django.utils.safestring import mark_safe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.form_renderer import INPUT, INPUT_OPTIONS, SELECT, FastWidgetRenderer

DJANGO = DjangoTemplates()


class _Built(FastWidgetRenderer):
    """The renderer under test, refusing to load the templates it builds itself: no comparison falls back."""

    def get_template(self, template_name: str) -> Any:
        assert template_name not in {SELECT, INPUT, *INPUT_OPTIONS}, template_name
        return super().get_template(template_name)


FAST = _Built()

text = st.text(alphabet=st.sampled_from(list("ab <>&\"'é1-_")), max_size=8)
label = st.one_of(text, text.map(mark_safe), st.integers(-5, 5), st.decimals(places=2, min_value=0, max_value=9))
value = st.one_of(text, st.integers(-5, 5), st.none())
attr_value = st.one_of(st.booleans(), text, text.map(mark_safe), st.integers(0, 9), st.none())
attrs = st.dictionaries(
    st.sampled_from(["id", "class", "data-x", "required", "disabled", "aria-describedby"]), attr_value
)
choice = st.tuples(st.one_of(text, st.integers(0, 9)), label)
choices = st.lists(
    st.one_of(choice, st.tuples(text.filter(bool), st.lists(choice, max_size=3))),
    max_size=6,
)
WIDGETS = [
    forms.Select,
    forms.SelectMultiple,
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.CheckboxInput,
    forms.DateInput,
]


def _render(widget: forms.Widget, renderer: Any, name: str, current: Any, extra: dict[str, Any]) -> str:
    return widget.render(name, current, attrs=extra, renderer=renderer)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(WIDGETS),
    widget_attrs=attrs,
    extra=attrs,
    options=choices,
    name=text,
    current=st.one_of(value, st.lists(value, max_size=3)),
)
def test_widgets_render_exactly_as_the_templates(
    kind: type[forms.Widget],
    widget_attrs: dict[str, Any],
    extra: dict[str, Any],
    options: list[Any],
    name: str,
    current: Any,
) -> None:
    widget = kind(attrs=widget_attrs)
    if isinstance(widget, ChoiceWidget):
        widget.choices = options
    assert _render(widget, FAST, name, current, extra) == _render(widget, DJANGO, name, current, extra)


@settings(max_examples=200, deadline=None)
@given(multiple=st.booleans(), options=choices, extra=attrs, current=st.lists(value, max_size=2), wrap=st.booleans())
def test_each_option_of_radios_and_checkboxes_renders_exactly_as_the_template(
    multiple: bool, options: list[Any], extra: dict[str, Any], current: list[Any], wrap: bool
) -> None:
    widget = forms.CheckboxSelectMultiple() if multiple else forms.RadioSelect()
    widget.choices = options
    for option in widget.subwidgets("field", current, attrs=extra):
        fast = BoundWidget(widget, option, FAST).tag(wrap_label=wrap)
        assert fast == BoundWidget(widget, option, DJANGO).tag(wrap_label=wrap)


def test_the_portal_s_forms_use_it_and_render_as_before() -> None:
    field = forms.ChoiceField(choices=[("", "Choose"), ("a&b", "A & B"), ("c", mark_safe("<b>C</b>"))])
    form = type("Form", (forms.Form,), {"x": field})(data={"x": "a&b"})
    assert isinstance(form.renderer, FastWidgetRenderer)  # settings.FORM_RENDERER
    fast = form["x"].as_widget()
    form.renderer = DJANGO
    assert fast == form["x"].as_widget()
    assert '<option value="a&amp;b" selected>A &amp; B</option>' in fast

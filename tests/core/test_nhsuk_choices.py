"""Radio and checkbox groups are built in Python (`{% nhsuk_choices %}`): character for character what the template
they replaced gave (kept as tests/core/reference/choices.html), on random fields — labels and hints with markup,
safe or lazy, required or not, bound with errors or not, ids or none, and every class the crispy helper may set."""

from pathlib import Path
from typing import Any

from django import forms
from django.http import QueryDict
from django.template import Context, engines
from django.utils.functional import lazy
from django.utils.safestring import mark_safe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.templatetags.nhsuk_forms import NhsukField, nhsuk_choices

REFERENCE = engines["django"].from_string(
    "{% load nhsuk_forms %}" + (Path(__file__).parent / "reference" / "choices.html").read_text()
)
_lazy_str = lazy(str, str)

text = st.text(alphabet=st.sampled_from(list("ab <>&\"'é1-_")), max_size=8)
label = st.one_of(text, text.map(mark_safe), text.map(_lazy_str), st.integers(-5, 5))
choice_value = st.one_of(text.filter(bool), st.integers(0, 9)).map(str)
class_name = st.one_of(st.none(), st.just(""), st.sampled_from(["extra", "a b", "x<y"]))


@st.composite
def cases(draw: st.DrawFn) -> tuple[forms.BoundField, dict[str, Any]]:
    multiple = draw(st.booleans())
    values = draw(st.lists(choice_value, min_size=1, max_size=5, unique=True))
    choices = [(value, draw(label)) for value in values]
    widget_attrs: dict[str, Any] = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "id": st.sampled_from(["own-id", "a&b"]),
                "class": st.sampled_from(["nhsuk-checkboxes__input", "mine"]),
                "aria-describedby": st.sampled_from(["elsewhere", "x y"]),
            },
        )
    )
    widget = (forms.CheckboxSelectMultiple if multiple else forms.RadioSelect)(attrs=widget_attrs)
    field_class = forms.MultipleChoiceField if multiple else forms.ChoiceField
    field = field_class(
        label=draw(label),
        help_text=draw(st.one_of(st.just(""), text, text.map(mark_safe), st.just("Say <strong>why</strong>"))),
        required=draw(st.booleans()),
        choices=choices,
        widget=widget,
        error_messages={"invalid_choice": draw(st.sampled_from(["Pick <one>", "Choose again"]))},
    )
    form_class = type("DrawnForm", (forms.Form,), {"answer": field})
    bound = draw(st.booleans())
    chosen = draw(st.lists(st.sampled_from([*values, "not-offered"]), max_size=3))
    data = {"answer": chosen if multiple else (chosen[0] if chosen else "")}
    if bound:
        form = form_class(data=_query(data), auto_id=draw(st.sampled_from(["id_%s", False, "f-%s"])))
        form.is_valid()
    else:
        form = form_class(initial={"answer": data["answer"]}, auto_id=draw(st.sampled_from(["id_%s", False])))
    context = {
        "form_group_wrapper_class": draw(class_name),
        "wrapper_class": draw(class_name),
        "label_class": draw(class_name),
        "hint_class": draw(class_name),
        "form_show_labels": draw(st.sampled_from([True, False, None, 0])),
        "form_show_errors": draw(st.sampled_from([True, False])),
        "inline_class": draw(class_name),
    }
    context = {name: value for name, value in context.items() if value is not None or draw(st.booleans())}
    return form["answer"], context


def _query(data: dict[str, Any]) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in data.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return query


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_choice_groups_render_exactly_as_the_template(case: tuple[forms.BoundField, dict[str, Any]]) -> None:
    bound_field, extra = case
    f = NhsukField(
        bound_field,
        show_errors=extra.get("form_show_errors", True) is not False,
        inline=bool(extra.get("inline_class")),
    )
    context = {"field": bound_field, "f": f, **extra}
    expected = REFERENCE.render(context)
    assert str(nhsuk_choices(Context(context), f)) == expected


def test_a_group_in_error_reads_as_one() -> None:
    """The reference itself, read plainly: legend, hint, error and every option with its label."""

    class Form(forms.Form):
        mode = forms.ChoiceField(
            label="How <often>",
            help_text="Pick one",
            choices=[("a", "Always"), ("n", "Never & <b>")],
            widget=forms.RadioSelect,
        )

    form = Form(data={"mode": "x"})
    form.is_valid()
    f = NhsukField(form["mode"])
    html = str(nhsuk_choices(Context({"field": form["mode"], "f": f}), f))
    assert 'class="nhsuk-form-group nhsuk-form-group--error"' in html
    assert 'aria-describedby="id_mode-hint id_mode-error"' in html
    assert '<legend class="nhsuk-fieldset__legend">How &lt;often&gt;</legend>' in html
    assert '<div class="nhsuk-hint" id="id_mode-hint">Pick one</div>' in html
    assert "Select a valid choice. x is not one of the available choices." in html
    assert '<label class="nhsuk-label nhsuk-radios__label" for="id_mode_1">Never &amp; &lt;b&gt;</label>' in html
    assert html.count('type="radio"') == 2

"""`NameChoiceField` reads its options as (id, name) pairs: the same select as Django's ModelChoiceField gives, in
one query however many organisations there are, and the same cleaning and messages."""

from typing import Any

import pytest
from django import forms

from apps.common.fields import NameChoiceField
from apps.organisations.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _forms(**options: Any) -> tuple[type[forms.Form], type[forms.Form]]:
    def make(field_class: type[forms.ModelChoiceField]) -> type[forms.Form]:
        field = field_class(queryset=Organisation.objects.order_by("name"), **options)
        return type("OrganisationForm", (forms.Form,), {"organisation": field})

    return make(NameChoiceField), make(forms.ModelChoiceField)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"empty_label": "Choose your organisation"},
        {"empty_label": None},
        {"required": False, "widget": forms.RadioSelect},
    ],
)
def test_the_select_is_what_django_draws(options: dict[str, Any]) -> None:
    OrganisationFactory(name="Barts & <The London>")
    chosen = OrganisationFactory(name="Airedale NHS Foundation Trust")
    OrganisationFactory(name="Zeta Trust")
    light, django_own = _forms(**options)
    for data in (None, {"organisation": str(chosen.pk)}, {"organisation": "nonsense"}):
        assert str(light(data=data)["organisation"]) == str(django_own(data=data)["organisation"])
    assert "Barts &amp; &lt;The London&gt;" in str(light()["organisation"])


def test_options_come_from_one_query_however_many(django_assert_num_queries: Any) -> None:
    OrganisationFactory.create_batch(3)
    light, _ = _forms()
    with django_assert_num_queries(1):
        str(light()["organisation"])
    OrganisationFactory.create_batch(30)
    with django_assert_num_queries(1):
        html = str(light()["organisation"])
    assert html.count("<option") == 34  # 33 and the empty label


def test_a_choice_is_cleaned_to_the_organisation_and_a_bad_one_refused() -> None:
    chosen = OrganisationFactory()
    field = NameChoiceField(
        queryset=Organisation.objects.all(), error_messages={"invalid_choice": "Choose an organisation from the list"}
    )
    assert field.clean(str(chosen.pk)) == chosen
    for bad in ("0", "x", str(chosen.pk + 1000)):
        with pytest.raises(forms.ValidationError, match="Choose an organisation from the list"):
            field.clean(bad)


def test_offering_anything_but_ids_or_relabelling_is_refused_when_the_form_is_made() -> None:
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="to_field_name='ods_code'"):
        NameChoiceField(queryset=Organisation.objects.all(), to_field_name="ods_code")

    class Relabelled(NameChoiceField):
        def label_from_instance(self, obj: Organisation) -> str:
            return obj.ods_code

    with pytest.raises(ImproperlyConfigured, match="use ModelChoiceField"):
        Relabelled(queryset=Organisation.objects.all())
    assert NameChoiceField(queryset=Organisation.objects.all(), to_field_name="id").to_field_name == "id"

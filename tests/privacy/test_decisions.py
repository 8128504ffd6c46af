"""The database agrees with the table: every relation to the User model, in every installed app, is decided in
apps/privacy/decisions.py, and its on_delete is the one its outcome names. So deleting an account can never be
refused by a PROTECT key, and erases and keeps exactly what the close-account pages say."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from apps.privacy.decisions import DECISIONS, Outcome, decision_for

User = apps.get_model(settings.AUTH_USER_MODEL)
ON_DELETE = {Outcome.ERASED: models.CASCADE, Outcome.KEPT_WITHOUT_THEM: models.SET_NULL}
ON_DELETE[Outcome.KEPT_WITH_NAME] = models.SET_NULL


def relations_to_user() -> dict[str, models.Field]:
    """Every foreign key, one-to-one and many-to-many field whose other end is the User model."""
    found = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            forward = field.is_relation and not field.auto_created and (field.concrete or field.many_to_many)
            if forward and field.related_model is User:
                found[f"{model._meta.app_label}.{model.__name__}.{field.name}"] = field
    return found


RELATIONS = relations_to_user()


def test_the_scan_finds_the_relations_it_should() -> None:
    assert {"audit.AccessEvent.viewer", "mentoring.Meeting.recorded_by", "learning_sets.Programme.organisers"} <= set(
        RELATIONS
    )


@pytest.mark.parametrize("relation", sorted(RELATIONS))
def test_every_relation_is_decided_and_the_database_agrees(relation: str) -> None:
    decision = decision_for(relation)
    assert decision is not None, f"{relation} points at a person: decide in apps/privacy/decisions.py what happens"
    field = RELATIONS[relation]
    if isinstance(field, models.ManyToManyField):
        assert decision.outcome == Outcome.ERASED  # the person leaves the list; the row it lists them on stays
        return
    assert field.remote_field.on_delete is ON_DELETE[decision.outcome], (
        f"{relation} is '{decision.outcome}' in the table but on_delete={field.remote_field.on_delete.__name__}"
    )
    if decision.outcome != Outcome.ERASED:
        assert field.null, f"{relation} must be nullable to be kept without the person"


def test_nothing_protects_a_person_from_being_erased() -> None:
    blocking = [
        name for name, field in RELATIONS.items() if field.remote_field.on_delete in (models.PROTECT, models.RESTRICT)
    ]
    assert blocking == []


def test_the_table_names_only_relations_that_exist() -> None:
    named = {relation for decision in DECISIONS for relation in decision.relations}
    assert named - set(RELATIONS) == set()


def test_an_audit_record_keeps_the_name_it_was_written_with() -> None:
    """Kept with the name: the AccessEvent and ChangeEvent rows carry the viewer's or actor's name as text."""
    for relation in ("audit.AccessEvent.viewer", "audit.ChangeEvent.actor"):
        decision = decision_for(relation)
        assert decision is not None and decision.outcome == Outcome.KEPT_WITH_NAME
    assert apps.get_model("audit", "AccessEvent")._meta.get_field("viewer_name")
    assert apps.get_model("audit", "ChangeEvent")._meta.get_field("actor_name")

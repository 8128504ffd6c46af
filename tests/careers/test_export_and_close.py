"""The person's role history, their choice to count it and their right-time answers are in their download and
go when their account does; nobody else's come in."""

from datetime import date

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.careers.models import RightTimeReflection, RoleHistoryEntry, RoutesConsent
from apps.careers.services.reflection import right_time_save
from apps.exports.collect import person_data

from .conftest import history

pytestmark = pytest.mark.django_db


def test_the_download_holds_the_persons_career_records_and_nobody_elses(owner: User, colleague: User) -> None:
    history(
        owner, ("clinical_director", date(2015, 1, 1), date(2020, 1, 1)), ("medical_director", date(2020, 1, 1), None)
    )
    history(colleague, ("clinical_lead", date(2015, 1, 1), None))
    right_time_save(owner=owner, attracts="OWNERTAG", experience="", timing="", support="", now=timezone.now())
    careers = person_data(person=owner, now=timezone.now()).data["careers"]
    assert [(e["kind_of_role"]["code"], e["started_on"], e["ended_on"]) for e in careers["role_history"]] == [
        ("medical_director", "2020-01-01", None),
        ("clinical_director", "2015-01-01", "2020-01-01"),
    ]
    assert careers["counted_in_anonymous_routes"] is True
    assert careers["is_now_the_right_time"]["what_attracts_you"] == "OWNERTAG"


def test_closing_the_account_erases_them(owner: User) -> None:
    history(owner, ("clinical_lead", date(2015, 1, 1), None))
    right_time_save(owner=owner, attracts="x", experience="", timing="", support="", now=timezone.now())
    owner.delete()
    assert not RoleHistoryEntry.objects.exists()
    assert not RoutesConsent.objects.exists()
    assert not RightTimeReflection.objects.exists()

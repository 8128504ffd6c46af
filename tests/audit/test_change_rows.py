"""A change recorded with a key the template language would read as a method ("items", a network agenda's)
lists like any other, on the person's page and the administrators' (found by page_bench: both answered 500)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.models import ChangeEvent
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_an_agenda_change_lists_its_items(owner: User, administrator: User) -> None:
    ChangeEvent.objects.create(
        actor=administrator,
        actor_name="Sam Carter",
        capacity="organiser",
        subject=owner,
        action="changed the agenda",
        target="North West MD network, meeting of 3 December",
        before={"items": []},
        after={"items": ["Out-of-area placements", "Updates from NHS England"]},
        changed_at=timezone.now(),
    )
    for client, url in ((signed_in(owner), reverse("audit:mine")), (signed_in(administrator), "/activity/")):
        response = client.get(url)
        assert response.status_code == 200
        assert "Items: none → Items: Out-of-area placements; Updates from NHS England" in response.content.decode()

"""A person's download holds their offers, the requests they made and were asked, and their reflections; the
other person appears by name only, and nobody else's requests are in it."""

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.exports.collect import person_data
from apps.shadowing.services import reflection_write
from tests.factories import year_plan

from .support import accepted, ask, make_offer, person_in_role

pytestmark = pytest.mark.django_db


def test_the_download_has_everything_of_theirs_and_nothing_of_anyone_elses(owner: User, colleague: User) -> None:
    md = person_in_role("md@example.org")
    request = accepted(make_offer(md), owner)
    ask(make_offer(md, kind="conversation"), colleague)
    make_offer(owner, kind="conversation", per_year=3)
    reflection_write(
        request_id=request.pk,
        author=owner,
        title="OWNERTAG day",
        what_happened="OWNERTAG board",
        so_what="s",
        now_what="n",
        plan_id=year_plan(owner).pk,
        now=timezone.now(),
    )

    mine = person_data(person=owner, now=timezone.now()).data["talk_to_someone_in_the_role"]
    [offer] = mine["offers"]
    assert offer["how_many_a_year"] == 3 and offer["what"] == {"code": "conversation", "label": "A conversation"}
    [made] = mine["requests_you_made"]
    assert made["asked"] == str(md) and made["status"]["code"] == "accepted" and made["role"] == "Medical Director"
    assert mine["requests_to_you"] == []
    [reflection] = mine["reflections"]
    assert reflection["what_happened"] == "OWNERTAG board" and reflection["added_to_plan"] == "Towards MD"
    assert md.email not in str(mine)

    theirs = person_data(person=md, now=timezone.now()).data["talk_to_someone_in_the_role"]
    assert sorted(r["from"] for r in theirs["requests_to_you"]) == sorted([str(owner), str(colleague)])
    assert "OWNERTAG" not in str(theirs) and owner.email not in str(theirs)
    assert colleague.email not in str(person_data(person=owner, now=timezone.now()).data)

"""A person's download holds where they stand forward (with the lead's view beside theirs), their talent
conversations and the posts they are named as holding; a lead by name only, and nothing of anyone else's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.exports.collect import person_data
from apps.succession.models import Readiness
from apps.succession.services.conversations import conversation_create
from tests.factories import OrganisationFactory
from tests.support.succession import make_candidacy, make_lead, make_post

pytestmark = pytest.mark.django_db


def test_the_download_has_their_succession_records_and_nothing_of_anyone_elses(owner: User, colleague: User) -> None:
    trust = OrganisationFactory(name="OWNERTAG Trust")
    lead = make_lead(trust)
    post = make_post(trust, title="Deputy medical director, quality", holder=owner)
    mine = make_candidacy(
        owner,
        trust,
        post,
        aim="OWNERTAG aim",
        lead_readiness=Readiness.READY_NOW,
        lead_comment="OWNERTAG ready",
        lead_by=lead,
        lead_at=timezone.now(),
    )
    theirs = make_candidacy(colleague, trust, aim="COLLEAGUETAG aim")
    for candidacy, words in ((mine, "OWNERTAG strengths"), (theirs, "COLLEAGUETAG strengths")):
        conversation_create(
            lead=lead,
            candidacy_id=candidacy.pk,
            held_on=timezone.localdate() - timedelta(days=1),
            aspiration="",
            strengths=words,
            to_develop="",
            next_steps="First step\nSecond step",
            meet_again_on=None,
            now=timezone.now(),
        )

    data = person_data(person=owner, now=timezone.now()).data["succession"]
    [forward] = data["standing_forward"]
    assert forward["post"] == "Deputy medical director, quality" and forward["your_aim"] == "OWNERTAG aim"
    assert forward["the_leads_view"]["readiness"] == {"code": "ready_now", "label": "Ready now"}
    assert forward["the_leads_view"]["by"] == lead.display_name
    [conversation] = data["talent_conversations"]
    assert conversation["strengths"] == "OWNERTAG strengths"
    assert conversation["agreed_next_steps"] == ["First step", "Second step"]
    assert conversation["with"] == lead.display_name
    assert [p["title"] for p in data["posts_you_hold"]] == ["Deputy medical director, quality"]
    assert "COLLEAGUETAG" not in str(data) and lead.email not in str(data)

    # the lead's download holds nothing of the people who stood forward at their organisation
    assert "OWNERTAG strengths" not in str(person_data(person=lead, now=timezone.now()).data)

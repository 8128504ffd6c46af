"""The dashboard's succession card: where a person stands forward and their next talent conversation; for an
organisation lead, links to their posts and pipeline and how many posts fall vacant soon with no one ready now."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.succession.models import Readiness
from apps.succession.services.conversations import conversation_create
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, ProfileFactory
from tests.support.succession import make_candidacy, make_lead, make_post

pytestmark = pytest.mark.django_db


def test_someone_standing_forward_sees_where_and_their_next_conversation(owner: User) -> None:
    trust = OrganisationFactory(name="Riverside NHS Foundation Trust")
    lead = make_lead(trust)
    post = make_post(trust, title="Deputy medical director, quality")
    candidacy = make_candidacy(owner, trust, post)
    assert "Succession" not in signed_in(ProfileFactory().user).get(reverse("core:dashboard")).content.decode()
    day = timezone.localdate() + timedelta(days=20)
    conversation = conversation_create(
        lead=lead,
        candidacy_id=candidacy.pk,
        held_on=timezone.localdate(),
        aspiration="",
        strengths="Calm",
        to_develop="",
        next_steps="",
        meet_again_on=day,
        now=timezone.now(),
    )
    page = signed_in(owner).get(reverse("core:dashboard")).content.decode()
    assert "Riverside NHS Foundation Trust: Deputy medical director, quality (ready in 1 to 2 years)" in page
    assert reverse("succession:conversation", args=[conversation.pk]) in page
    assert f"Next talent conversation: {day.day} {day:%B %Y}" in page
    assert reverse("succession:pipeline") not in page


def test_a_lead_sees_links_and_the_posts_falling_vacant_uncovered(django_assert_num_queries: object) -> None:
    trust = OrganisationFactory()
    lead = make_lead(trust)
    soon = timezone.localdate() + timedelta(days=60)
    make_post(trust, title="Medical director", level=5, expected_vacancy=soon)
    covered = make_post(trust, title="Deputy medical director", expected_vacancy=soon)
    make_candidacy(ProfileFactory().user, trust, covered, readiness=Readiness.READY_NOW)
    make_post(OrganisationFactory(), title="Elsewhere", expected_vacancy=soon)
    client = signed_in(lead)
    client.get(reverse("core:dashboard"))
    # 1 session, 2 user, 3 profile, 4 roles, 5 what waits for them, counted in one query (MFA, proposals waiting,
    # attendance to record, requests to answer, bilaterals to answer) with which parts have anything to list (the
    # lead has none: no self-assessment, plan, pairs, sessions, candidacies, pathway, buddy, bilateral or network
    # meeting, so none is read); as a lead 6 the organisation they lead and 7 its posts falling vacant uncovered,
    # counted; 8 unread count for the layout
    with django_assert_num_queries(8):  # type: ignore[operator]
        page = client.get(reverse("core:dashboard")).content.decode()
    assert "<strong>1 post</strong> of your organisation falls vacant within six months" in page
    assert reverse("succession:pipeline") in page and reverse("succession:posts") in page
    assert "Organisation lead" in page

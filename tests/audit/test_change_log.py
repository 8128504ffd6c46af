"""A record of every change organisers and facilitators make to other people's pairs, sets and sessions: who,
what, when, before and after. Administrators read all of it; each person reads what touched them."""

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.audit.models import ChangeEvent
from apps.learning_sets.services.sessions import session_reschedule
from apps.mentoring.models import RoundPair
from apps.mentoring.services.rounds import pair_change, round_run
from apps.notifications.templatetags.notification_format import london_datetime
from tests.conftest import signed_in
from tests.factories import ProfileFactory, grant
from tests.learning_sets.sets_support import NOW, World, published, sessions_of, world  # noqa: F401 (fixtures)
from tests.mentoring.test_rounds import make_scheme, scheme_mentee, scheme_mentor

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
MINE = reverse("audit:mine")


@pytest.fixture
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def test_changing_a_pair_is_on_record_for_the_mentee_and_both_mentors(organiser: User, outsider: User) -> None:
    scheme = make_scheme(organiser)
    first = scheme_mentor(scheme, "md.one@example.org", capacity=1)
    second = scheme_mentor(scheme, "md.two@example.org", capacity=1)
    request = scheme_mentee(scheme, "mentee@example.org")
    match_round = round_run(scheme=scheme, actor=organiser, now=timezone.now())
    pair = RoundPair.objects.get(round=match_round, request=request)
    was = pair.mentor
    other = second if was == first else first
    pair_change(pair=pair, mentor_id=other.pk, actor=organiser)
    events = ChangeEvent.objects.filter(action="changed a proposed mentoring pair")
    assert {e.subject for e in events} == {request.mentee, first, second}
    event = events.get(subject=request.mentee)
    assert event.actor == organiser and event.capacity == "organiser"
    assert event.before == {"mentor": str(was)} and event.after == {"mentor": str(other)}
    page = signed_in(request.mentee).get(MINE).content.decode()
    assert "Changed a proposed mentoring pair" in page and str(other) in page
    assert "Changed a proposed mentoring pair" not in signed_in(outsider).get(MINE).content.decode()


def test_a_refused_change_leaves_no_record(organiser: User) -> None:
    scheme = make_scheme(organiser)
    scheme_mentor(scheme, "md.one@example.org", capacity=1)
    boss = scheme_mentor(scheme, "boss@example.org", capacity=1)
    request = scheme_mentee(scheme, "mentee@example.org", line_manager_email="boss@example.org")
    match_round = round_run(scheme=scheme, actor=organiser, now=timezone.now())
    pair = RoundPair.objects.get(round=match_round, request=request)
    with pytest.raises(Exception, match="not allowed"):
        pair_change(pair=pair, mentor_id=boss.pk, actor=organiser)
    assert not ChangeEvent.objects.exists()


def test_moving_a_session_is_on_record_for_every_member_but_the_mover(published: World, clock: None) -> None:  # noqa: F811
    session = sessions_of(published.set1)[1]
    was = session.starts_at
    session_reschedule(
        session=session,
        starts_at=datetime(2026, 11, 24, 15, 0, tzinfo=LONDON),
        actor=published.facilitator,
        now=NOW,
    )
    events = ChangeEvent.objects.filter(action="moved a session of your set")
    assert published.owner in {e.subject for e in events} and published.facilitator not in {e.subject for e in events}
    event = events.get(subject=published.owner)
    assert event.capacity == "facilitator" and event.before["starts"] != event.after["starts"]
    assert event.before["starts"] == london_datetime(was)
    page = signed_in(published.owner).get(MINE).content.decode()
    assert "Moved a session of your set" in page and "Tuesday 24 November 2026 at 3pm" in page


def test_administrators_read_every_change_and_the_roles_history_and_nobody_else_does(
    organiser: User, administrator: User, owner: User
) -> None:
    scheme = make_scheme(organiser)
    scheme_mentor(scheme, "md.one@example.org", capacity=1)
    request = scheme_mentee(scheme, "mentee@example.org")
    match_round = round_run(scheme=scheme, actor=organiser, now=timezone.now())
    pair_change(pair=RoundPair.objects.get(round=match_round, request=request), mentor_id=None, actor=organiser)
    granted = ProfileFactory(user__email="newly.granted@example.org").user
    grant(granted, Role.FACILITATOR)
    url = reverse("activity:changes")
    page = signed_in(administrator).get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Changed a proposed mentoring pair" in body and str(request.mentee) in body
    assert "Facilitator" in body and str(granted) in body
    assert signed_in(organiser).get(url).status_code == 403
    assert signed_in(owner).get(url).status_code == 403


def test_loading_a_framework_version_is_on_record_once(administrator: User) -> None:
    from apps.competencies.fileformat import parse
    from apps.competencies.services import framework_load

    from ..assessments.conftest import PERSON_SPEC

    spec = parse(PERSON_SPEC.read_text())
    framework_load(spec=spec)
    framework_load(spec=spec)  # the same version again changes nothing, and records nothing
    event = ChangeEvent.objects.get(action="loaded a new framework version")
    assert event.actor is None and event.actor_name == "the portal's operator" and spec.name in event.target
    page = signed_in(administrator).get(reverse("activity:changes")).content.decode()
    assert "Loaded a new framework version" in page

"""A published-ready programme for the session, page and feed tests: two sets, a facilitator each, members from
different organisations. Dates are autumn 2026, so the first sessions are in BST and the later ones in GMT, and
the programme's last weeks hold Christmas and Boxing Day (observed on Monday 28 December).

Set 1 meets on Tuesdays 14:00 (sessions 20 October, 17 November, 15 December); set 2 on Thursdays 10:00
(22 October, 19 November, 17 December). A session may move up to Thursday 14 January 2027: the programme's last
planned session, 17 December, plus a cadence.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from apps.accounts.models import Role, User
from apps.learning_sets.models import (
    Application,
    ApplicationStatus,
    LearningSet,
    Membership,
    Programme,
    ProgrammeStatus,
    Session,
)
from apps.learning_sets.services.publishing import programme_publish
from apps.organisations.models import Sector
from tests.factories import OrganisationFactory, ProfileFactory, grant

LONDON = ZoneInfo("Europe/London")
# Thursday 1 October 2026, 9am in London: three weeks before the first session.
NOW = datetime(2026, 10, 1, 9, 0, tzinfo=LONDON)
FIRST_FROM = date(2026, 10, 19)


def make_programme(organiser: User, **changes: object) -> Programme:
    fields: dict[str, object] = {
        "name": "Midlands aspiring MDs 2026",
        "audience": "aspiring_mds",
        "open_to": "doctors",
        "applications_open_on": date(2026, 7, 1),
        "applications_close_on": date(2026, 9, 1),
        "first_sessions_from": FIRST_FROM,
        "sessions_count": 3,
        "cadence_weeks": 4,
        "session_minutes": 120,
        "status": ProgrammeStatus.GROUPING,
        # Below the 2 the form allows, so that these small sets (set 2 has one member) can be published: the
        # sizes are checked against the programme's at publishing (test_sessions.py has the tests of that rule).
        "set_size_min": 1,
        "default_venue": "Room 4, Education Centre, Leicester Royal Infirmary",
        "created_at": NOW,
        **changes,
    }
    programme = Programme.objects.create(**fields)
    programme.organisers.add(organiser)
    return programme


def make_facilitator(email: str) -> User:
    user = ProfileFactory(user__email=email, user__first_name="Ruth", user__last_name="Adeyemi").user
    grant(user, Role.FACILITATOR)
    return user


def add_set(
    programme: Programme, *, number: int, slot: str, facilitator: User | None, members: list[User], **changes: str
) -> LearningSet:
    learning_set = LearningSet.objects.create(
        programme=programme, number=number, slot=slot, facilitator=facilitator, **changes
    )
    if facilitator is not None:
        programme.facilitators.add(facilitator)  # only the programme's facilitators can be published with a set
    for member in members:
        application = Application.objects.create(
            programme=programme,
            person=member,
            organisation=OrganisationFactory(),
            sector=Sector.objects.get(code="acute"),
            career_stage="clinical_director",
            profession="doctor",
            slots=[slot],
            status=ApplicationStatus.PLACED,
            created_at=NOW,
            updated_at=NOW,
        )
        Membership.objects.create(learning_set=learning_set, application=application, member=member)
    return learning_set


def sessions_of(learning_set: LearningSet) -> list[Session]:
    return list(Session.objects.filter(learning_set=learning_set).order_by("number"))


class World:
    """Who is who: members of set 1 (owner, colleague, third), a member of set 2 (other_member), the two
    facilitators, the organiser, and the outsider (in no set)."""

    def __init__(self, organiser: User, owner: User, colleague: User, outsider: User) -> None:
        self.organiser, self.owner, self.colleague, self.outsider = organiser, owner, colleague, outsider
        self.third = ProfileFactory(user__email="third@example.org").user
        self.other_member = ProfileFactory(user__email="other.member@example.org").user
        self.facilitator = make_facilitator("facilitator@example.org")
        self.other_facilitator = make_facilitator("other.facilitator@example.org")
        self.programme = make_programme(organiser)
        self.set1 = add_set(
            self.programme,
            number=1,
            slot="tue-14:00",
            facilitator=self.facilitator,
            members=[owner, colleague, self.third],
            video_url="https://meet.example.org/set-1",
        )
        self.set2 = add_set(
            self.programme, number=2, slot="thu-10:00", facilitator=self.other_facilitator, members=[self.other_member]
        )

    @property
    def set1_members(self) -> list[User]:
        return [self.owner, self.colleague, self.third]

    def publish(self) -> "World":
        programme_publish(programme=self.programme, actor=self.organiser, now=NOW)
        self.programme.refresh_from_db()
        return self


@pytest.fixture
def world(organiser: User, owner: User, colleague: User, outsider: User) -> World:
    return World(organiser, owner, colleague, outsider)


@pytest.fixture
def published(world: World) -> World:
    return world.publish()

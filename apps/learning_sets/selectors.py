"""Reads of programmes and learning sets, with who may see what inside the query.

A programme's organiser pages start from `programmes_run_by`; a member sees every programme that is not a draft.
A live set is seen by its members and its facilitator (`sets_for`, `sessions_for`), nobody else, whatever their
role; a reflection only by its author; a session may also be moved by the programme's organisers
(`sessions_movable_by`), who still never see the set's notes. A view that fetches through these gets nothing, so a
404, for a row that is not the person's.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.formats import date_format

from apps.accounts.models import Role, User
from apps.accounts.selectors import user_has_role
from apps.profiles.models import LEVEL_OF_ROLE, Profile

from . import grouping
from .models import (
    Apology,
    Application,
    ApplicationStatus,
    Attendance,
    CalendarFeed,
    LearningSet,
    Membership,
    Programme,
    ProgrammeInvitation,
    ProgrammeStatus,
    Reflection,
    Session,
    SetNote,
)
from .slots import common_slots, is_valid_slot, slot_label

# Until these are published, organisers may still change the programme's settings.
EDITABLE = (ProgrammeStatus.DRAFT, ProgrammeStatus.OPEN, ProgrammeStatus.GROUPING)
# Applications still in play: the grouping takes them, the review page shows them.
LIVE_APPLICATIONS = (ApplicationStatus.APPLIED, ApplicationStatus.PLACED, ApplicationStatus.UNPLACED)
# Programmes whose sets are published: their members and facilitators see them.
PUBLISHED = (ProgrammeStatus.RUNNING, ProgrammeStatus.FINISHED)


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def _is_organiser(user: User) -> bool:
    """Whether the person holds the organiser role now: being listed on a programme is not enough once the role
    has been revoked."""
    return user_has_role(user=user, role=Role.ORGANISER)


# --- Programmes ------------------------------------------------------------------------------------------------------


def programmes_run_by(user: User) -> QuerySet[Programme]:
    """The programmes this person organises: every organiser view starts from this queryset."""
    return Programme.objects.filter(organisers=user)


@dataclass(frozen=True)
class OrganisedProgramme:
    """A programme on the organiser's list, with how many applications it has (withdrawn ones aside)."""

    programme: Programme
    applications: int


def programmes_organised_by(*, user: User) -> list[OrganisedProgramme]:
    """The organiser's programmes with their counts of live applications, in one query."""
    programmes = programmes_run_by(user).annotate(
        applied=Count("applications", filter=~Q(applications__status=ApplicationStatus.WITHDRAWN))
    )
    return [OrganisedProgramme(programme=programme, applications=programme.applied) for programme in programmes]


def _for_their_organisation(programmes: QuerySet[Programme], person: User) -> QuerySet[Programme]:
    """Programmes across organisations and in-house ones of the person's own organisation (as their profile says),
    those for invited people only when they are invited, and any they have applied to (an applicant who has since
    moved, or left the network that invited them, can still see and withdraw theirs)."""
    own = Profile.objects.filter(user=person).values("organisation_id")[:1]
    applied = Exists(Application.objects.filter(programme=OuterRef("pk"), person=person))
    invited = Exists(ProgrammeInvitation.objects.filter(programme=OuterRef("pk"), person=person))
    return programmes.filter(
        ((Q(organisation__isnull=True) | Q(organisation=Subquery(own))) & (Q(invited_only=False) | invited)) | applied
    )


def programmes_taking_applications(*, today: date, person: User) -> QuerySet[Programme]:
    return (
        _for_their_organisation(Programme.objects.all(), person)
        .filter(
            status=ProgrammeStatus.OPEN,
            applications_open_on__lte=today,
            applications_close_on__gte=today,
            applications_closed_at__isnull=True,
        )
        .select_related("organisation")
        .order_by("applications_close_on", "name")
    )


def programmes_visible_to(*, person: User) -> QuerySet[Programme]:
    """Programmes a member may look at: every one except those still being set up, and another organisation's
    in-house ones."""
    return _for_their_organisation(Programme.objects.exclude(status=ProgrammeStatus.DRAFT), person)


def programmes_publishable_by(*, user: User) -> QuerySet[Programme]:
    if not _is_organiser(user):
        return Programme.objects.none()
    return Programme.objects.filter(organisers=user)


def programme_facilitators(*, programme: Programme) -> list[User]:
    """The programme's facilitators in the order sets are given them: by name, then address."""
    return list(programme.facilitators.order_by("last_name", "first_name", "email"))


def application_counts(*, programme: Programme) -> dict[str, int]:
    """{"live": …, "withdrawn": …}: the programme's applications, in one query."""
    return Application.objects.filter(programme=programme).aggregate(
        live=Count("pk", filter=~Q(status=ApplicationStatus.WITHDRAWN)),
        withdrawn=Count("pk", filter=Q(status=ApplicationStatus.WITHDRAWN)),
    )


def sets_count(*, programme: Programme) -> int:
    return LearningSet.objects.filter(programme=programme).count()


def sets_of(*, programme: Programme) -> QuerySet[LearningSet]:
    return LearningSet.objects.filter(programme=programme)


# --- What a programme's window allows today --------------------------------------------------------------------------


def applications_closed(programme: Programme, *, today: date) -> bool:
    """Whether the window has closed: its last day has passed, or an organiser closed it early."""
    return programme.applications_closed_at is not None or today > programme.applications_close_on


def refusal_to_apply(programme: Programme, *, today: date) -> str | None:
    """Why this programme is not taking applications today, or None when it is."""
    if programme.status == ProgrammeStatus.DRAFT:
        return f"“{programme.name}” is not taking applications yet."
    if programme.status != ProgrammeStatus.OPEN or applications_closed(programme, today=today):
        return f"Applications for “{programme.name}” closed on {_day(programme.applications_close_on)}."
    if today < programme.applications_open_on:
        return f"Applications for “{programme.name}” open on {_day(programme.applications_open_on)}."
    return None


def close_refusal(programme: Programme, *, today: date) -> str | None:
    """Why this programme's applications cannot be closed early today, or None when they can."""
    if programme.status == ProgrammeStatus.DRAFT:
        return f"“{programme.name}” is not open yet, so it has no applications to close."
    if programme.status != ProgrammeStatus.OPEN or applications_closed(programme, today=today):
        closed_on = _day(programme.applications_close_on)
        return f"Applications for “{programme.name}” are already closed: they closed on {closed_on}."
    if today < programme.applications_open_on:
        return (
            f"Applications for “{programme.name}” do not open until {_day(programme.applications_open_on)}, "
            "so nobody can have applied yet: change the dates instead."
        )
    return None


# --- Applications ----------------------------------------------------------------------------------------------------


def applications_of(person: User) -> QuerySet[Application]:
    return Application.objects.filter(person=person).select_related("programme").order_by("-created_at")


def application_of(*, programme: Programme, person: User) -> Application | None:
    """The person's own application to the programme, if they made one."""
    return Application.objects.filter(programme=programme, person=person).first()


def applications_to(*, programme: Programme, live: bool = False) -> QuerySet[Application]:
    """The programme's applications (only those still in play when `live`), for its organisers' pages."""
    applications = Application.objects.filter(programme=programme).select_related("person", "organisation")
    return applications.filter(status__in=LIVE_APPLICATIONS) if live else applications


# --- The applicants as the grouping sees them ------------------------------------------------------------------------


def stage_of_role(role: str) -> str:
    """The career stage the grouping balances: the leadership level a role is on (a divisional and an associate
    medical director are alike, whatever their titles), else the role itself (a consultant, an SAS doctor)."""
    level = LEVEL_OF_ROLE.get(role)
    return f"level {int(level)}" if level is not None else role


def _participant(application: Application, programme: Programme) -> grouping.Participant:
    """The applicant as the grouping sees them. The grouping keeps people who share an `organisation` apart and
    mixes `sector`s; an in-house programme's members all share one organisation, so each is their own there (the
    rule gives way), and a multi-professional programme mixes professions, as a board does, rather than sectors."""
    return grouping.Participant(
        id=str(application.pk),
        organisation=f"person {application.pk}" if programme.is_in_house else application.organisation.ods_code,
        sector=application.profession if programme.is_multi_professional else application.sector.code,
        stage=stage_of_role(application.career_stage),
        slots=tuple(application.slots),
    )


def grouping_problem(*, programme: Programme, applications: list[Application], sets: int | None) -> grouping.Problem:
    """The applications (with organisation and sector loaded) as a grouping problem: the id is the application's."""
    return grouping.Problem(
        participants=[_participant(application, programme) for application in applications],
        min_size=programme.set_size_min,
        max_size=programme.set_size_max,
        sets=sets,
    )


# --- The review page -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetReview:
    learning_set: LearningSet
    members: list[Application]
    sectors: int
    shared_slots: list[str]  # every slot all members can make, the set's own among them

    @property
    def slot_label(self) -> str:
        return slot_label(self.learning_set.slot) if is_valid_slot(self.learning_set.slot) else self.learning_set.slot

    @property
    def slot_choices(self) -> list[tuple[str, str]]:
        return [(slot, slot_label(slot)) for slot in self.shared_slots]


@dataclass(frozen=True)
class Review:
    programme: Programme
    sets: list[SetReview]
    unplaced: list[Application]
    score: int
    facilitators: list[User]


def programme_review(*, programme: Programme) -> Review:
    """The draft (or published) sets with their members, the unplaced, and the score, in four queries however many
    people applied."""
    sets = list(LearningSet.objects.filter(programme=programme).select_related("facilitator").order_by("number"))
    applications = list(
        Application.objects.filter(programme=programme, status__in=LIVE_APPLICATIONS)
        .select_related("person", "organisation", "sector", "membership")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    members: dict[int, list[Application]] = defaultdict(list)
    unplaced = []
    for application in applications:
        membership = getattr(application, "membership", None)
        if membership is None:
            unplaced.append(application)
        else:
            members[membership.learning_set_id].append(application)
    reviews = [
        SetReview(
            learning_set=learning_set,
            members=members[learning_set.pk],
            sectors=len({member.sector_id for member in members[learning_set.pk]}),
            shared_slots=common_slots([member.slots for member in members[learning_set.pk]]),
        )
        for learning_set in sets
    ]
    problem = grouping_problem(programme=programme, applications=applications, sets=len(sets) or None)
    current = [[str(member.pk) for member in review.members] for review in reviews]
    # The formula only: hand-made changes can leave sets the grouping would never propose (a set of one sector).
    score = grouping.score(problem, current) if applications and sets else 0
    return Review(
        programme=programme,
        sets=reviews,
        unplaced=unplaced,
        score=score,
        facilitators=programme_facilitators(programme=programme),
    )


# --- Live sets and their sessions ------------------------------------------------------------------------------------


def _member_of_set(user: User) -> Exists:
    return Exists(Membership.objects.filter(learning_set=OuterRef("pk"), member=user))


def sets_for(*, user: User) -> QuerySet[LearningSet]:
    """The published sets this person is in or facilitates."""
    return (
        LearningSet.objects.filter(_member_of_set(user) | Q(facilitator=user), programme__status__in=PUBLISHED)
        .select_related("programme", "facilitator")
        .order_by("programme__name", "number")
    )


def sets_joined_by(*, user: User) -> QuerySet[LearningSet]:
    """The published sets this person is a member of (those they only facilitate left out)."""
    return sets_for(user=user).filter(_member_of_set(user))


def sets_facilitated_by(*, user: User) -> QuerySet[LearningSet]:
    return sets_for(user=user).filter(facilitator=user)


@dataclass(frozen=True)
class SetListing:
    """A set on the person's home page, with its weekly time in words."""

    learning_set: LearningSet
    when: str


def set_listings_for(*, user: User) -> list[SetListing]:
    return [SetListing(learning_set=s, when=slot_label(s.slot)) for s in sets_for(user=user)]


def sessions_for(*, user: User) -> QuerySet[Session]:
    """Sessions of the sets this person is in or facilitates."""
    in_set = Exists(Membership.objects.filter(learning_set=OuterRef("learning_set"), member=user))
    return (
        Session.objects.filter(
            in_set | Q(learning_set__facilitator=user), learning_set__programme__status__in=PUBLISHED
        )
        .select_related("learning_set__programme", "learning_set__facilitator")
        .order_by("starts_at", "pk")
    )


def sessions_facilitated_by(*, user: User) -> QuerySet[Session]:
    return sessions_for(user=user).filter(learning_set__facilitator=user)


def sessions_upcoming_for(*, user: User, now: datetime, limit: int) -> list[Session]:
    """The next sessions still to end, cancelled ones left out."""
    return list(sessions_for(user=user).filter(ends_at__gt=now, cancelled_at__isnull=True)[:limit])


def sessions_movable_by(*, user: User) -> QuerySet[Session]:
    """Sessions this person may move: as the set's facilitator or an organiser of its programme."""
    movable = Q(learning_set__facilitator=user)
    if _is_organiser(user):
        organisers = Programme.organisers.through.objects
        movable |= Q(Exists(organisers.filter(programme=OuterRef("learning_set__programme"), user=user)))
    return (
        Session.objects.filter(movable, learning_set__programme__status=ProgrammeStatus.RUNNING)
        .select_related("learning_set__programme", "learning_set__facilitator")
        .order_by("starts_at", "pk")
    )


def sessions_of(*, learning_set: LearningSet) -> QuerySet[Session]:
    return Session.objects.filter(learning_set=learning_set).order_by("starts_at", "pk")


def sessions_held(*, learning_set: LearningSet, now: datetime) -> list[Session]:
    """The set's sessions that have started and were not cancelled: those a reflection can be about."""
    held = Session.objects.filter(learning_set=learning_set, starts_at__lte=now, cancelled_at__isnull=True)
    return list(held.order_by("starts_at"))


@dataclass(frozen=True)
class SetSession:
    """A session on the set page, with whether the person reading it sent apologies for it."""

    session: Session
    apologised: bool


def set_sessions(*, learning_set: LearningSet, reader: User) -> list[SetSession]:
    """The set's sessions in date order, each with whether `reader` sent apologies for it. Two queries."""
    sessions = list(sessions_of(learning_set=learning_set))
    apologised = set(Apology.objects.filter(member=reader, session__in=sessions).values_list("session_id", flat=True))
    return [SetSession(session=session, apologised=session.pk in apologised) for session in sessions]


def members_of(*, learning_set: LearningSet) -> QuerySet[Membership]:
    """The set's members with what the set page shows of them: name, organisation, role. One query."""
    return (
        Membership.objects.filter(learning_set=learning_set)
        .select_related("member__profile", "application__organisation")
        .order_by("member__last_name", "member__first_name", "pk")
    )


def people_in(*, learning_set: LearningSet) -> list[User]:
    """The set's members as people, for reminders and the change record."""
    return [m.member for m in Membership.objects.filter(learning_set=learning_set).select_related("member")]


def apologies_for(*, session: Session) -> list[Apology]:
    return list(Apology.objects.filter(session=session).select_related("member").order_by("created_at"))


def attendance_marks(*, session: Session) -> dict[int, bool]:
    """Member id → whether they came, as recorded (former members' marks have no id and are left out)."""
    return {a.member_id: a.present for a in Attendance.objects.filter(session=session) if a.member_id is not None}


def notes_of(*, learning_set: LearningSet) -> list[SetNote]:
    return list(SetNote.objects.filter(learning_set=learning_set).select_related("author", "session"))


def reflections_of(*, author: User, learning_set: LearningSet) -> QuerySet[Reflection]:
    return Reflection.objects.filter(author=author, learning_set=learning_set).select_related("session")


# --- Calendar feeds --------------------------------------------------------------------------------------------------


def feed_of(*, person: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(person=person).first()


def feed_exists(*, person: User) -> bool:
    return CalendarFeed.objects.filter(person=person).exists()


def feed_person(*, token: str) -> User | None:
    """Whose feed this token opens: nobody for an unknown or old token, or a closed account."""
    feed = CalendarFeed.objects.filter(token=token).select_related("person").first()
    if feed is None or not feed.person.is_active:
        return None
    return feed.person

"""The download of a person's data holds their first-year pathway (the words they wrote included), and nothing of
anyone else's; closing an account takes the pathway with it."""

from datetime import date

from django.utils import timezone

from apps.accounts.models import User
from apps.exports.collect import person_data
from apps.pathways.models import ChecklistTick, Enrolment, Invitation
from apps.pathways.services import checkin_complete, tick_set

from .support import PLANTED_GOING, PLANTED_OBJECTIVES, PLANTED_SCOPE, PLANTED_SUPPORT, enrol, make_cohort, with_scope


def test_the_download_has_their_pathway_and_nothing_of_anyone_elses(
    owner: User, colleague: User, organiser: User
) -> None:
    cohort = make_cohort(organiser)
    enrolment = with_scope(enrol(owner, started_on=date(2026, 8, 3), cohort=cohort))
    tick_set(enrolment=enrolment, item_key="coach", state="not_applicable", now=timezone.now())
    checkin_complete(enrolment=enrolment, months=3, going=PLANTED_GOING, support=PLANTED_SUPPORT, now=timezone.now())
    Invitation.objects.create(cohort=make_cohort(organiser, "Second cohort"), person=owner, invited_at=timezone.now())
    theirs = enrol(colleague)
    tick_set(enrolment=theirs, item_key="finance-rules", state="done", now=timezone.now())

    data = person_data(person=owner, now=timezone.now()).data["first_year_pathway"]
    assert data["pathway"] == {
        "cohort": "New MDs 2026/27",
        "started_as_medical_director_on": "2026-08-03",
        "joined_at": data["pathway"]["joined_at"],
        "scope_of_your_role": PLANTED_SCOPE,
        "objectives": PLANTED_OBJECTIVES,
        "agreed_with_your_chief_executive_on": "2026-08-04",
    }
    assert [t["item"] for t in data["checklist"]] == ["Find a coach for the first year"]
    assert data["checklist"][0]["state"] == {"code": "not_applicable", "label": "Does not apply to me"}
    assert data["check_ins"][0] | {"written_at": None} == {
        "months": 3,
        "how_it_is_going": PLANTED_GOING,
        "support_you_need": PLANTED_SUPPORT,
        "written_at": None,
    }
    assert [i["cohort"] for i in data["invitations"]] == ["Second cohort"]

    colleagues = person_data(person=colleague, now=timezone.now()).data["first_year_pathway"]
    assert colleagues["pathway"]["scope_of_your_role"] == ""
    assert [t["item"] for t in colleagues["checklist"]] == [
        "Learn the financial reporting rules with your finance director"
    ]
    assert colleagues["check_ins"] == [] and colleagues["invitations"] == []


def test_someone_not_on_the_pathway_has_an_empty_section(outsider: User) -> None:
    data = person_data(person=outsider, now=timezone.now()).data["first_year_pathway"]
    assert data == {"pathway": None, "checklist": [], "check_ins": [], "invitations": []}


def test_closing_an_account_takes_the_pathway_and_keeps_the_organisers_invitations(
    owner: User, organiser: User
) -> None:
    cohort = make_cohort(organiser)
    enrolment = enrol(owner, cohort=cohort)
    tick_set(enrolment=enrolment, item_key="coach", state="done", now=timezone.now())
    Invitation.objects.create(cohort=make_cohort(organiser, "Other"), person=owner, invited_at=timezone.now())
    owner.delete()
    assert not Enrolment.objects.exists() and not ChecklistTick.objects.exists() and not Invitation.objects.exists()
    cohort.refresh_from_db()
    organiser.delete()
    assert cohort.organisers.count() == 0

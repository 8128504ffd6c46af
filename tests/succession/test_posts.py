"""An organisation lead's posts: adding, changing and removing them, starting from a structure; the lead of one
organisation never reaches another's posts; each bad input is a clear message with nothing changed."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, RoleGrant, User
from apps.audit.models import ChangeEvent
from apps.notifications.models import Reminder
from apps.organisations.models import Organisation
from apps.profiles.models import LeadershipLevel
from apps.succession.models import Candidacy, Post
from apps.succession.services import SuccessionError
from apps.succession.services.posts import PostFields, post_create, post_remove, post_update, structure_apply
from apps.succession.structures import shipped
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, ProfileFactory, UserFactory
from tests.support.succession import make_candidacy, make_lead, make_post

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)  # the suite's fixed day


@pytest.fixture
def trust(db: None) -> Organisation:
    return OrganisationFactory(name="Northgate Mental Health NHS Foundation Trust")


@pytest.fixture
def lead(trust: Organisation) -> User:
    return make_lead(trust, ProfileFactory(organisation=trust, user__first_name="Ada", user__last_name="Lead").user)


@pytest.fixture
def consultant(trust: Organisation) -> User:
    """Someone at the trust who stands forward there (for a level), so its leads already see them."""
    person = ProfileFactory(organisation=trust, user__first_name="Ravi", user__last_name="Patel").user
    make_candidacy(person, trust, None, level=LeadershipLevel.CLINICAL_DIRECTOR)
    return person


def data(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "title": "Deputy medical director for quality",
        "level": "4",
        "portfolio": "quality",
        "pas": "4.5",
        "holder": "",
        "holder_name": "",
        "expected_vacancy": "2027-03-31",
    }
    values.update(changes)
    return values


def fields(**changes: object) -> PostFields:
    values: dict[str, object] = {"title": "Clinical director", "level": LeadershipLevel.CLINICAL_DIRECTOR}
    values.update(changes)
    return PostFields(**values)  # type: ignore[arg-type]


def now() -> timezone.datetime:
    return timezone.now()


# The services ----------------------------------------------------------------------------------------------------


def test_post_create_keeps_every_field_and_logs_the_change(lead: User, trust: Organisation, consultant: User) -> None:
    post = post_create(
        organisation=trust,
        actor=lead,
        fields=fields(
            title="  Clinical director, older adults ",
            portfolio="older adults",
            pas=Decimal("2.5"),
            holder=consultant,
            expected_vacancy=TODAY + timedelta(days=90),
        ),
        now=now(),
    )
    post.refresh_from_db()
    assert (post.title, post.level, post.pas, post.holder) == (
        "Clinical director, older adults",
        2,
        Decimal("2.5"),
        consultant,
    )
    event = ChangeEvent.objects.get(action="added a post")
    assert event.capacity == "organisation lead" and event.actor == lead and event.subject == consultant
    assert event.after["holder"] == "Ravi Patel" and consultant.email not in str(event.after)


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"title": "   "}, "Enter the post's title."),
        ({"level": 6}, "Choose the post's level on the ladder"),
        ({"pas": Decimal("16.5")}, "Enter a number of PAs from 0 to 16"),
        ({"pas": Decimal("-1")}, "Enter a number of PAs from 0 to 16"),
        ({"pas": Decimal("2.25")}, "Enter a number of PAs from 0 to 16"),
        ({"expected_vacancy": TODAY - timedelta(days=1)}, "cannot be in the past"),
        ({"holder_name": "Dr Someone"}, "not both"),
    ],
)
def test_post_create_refuses_bad_input(
    lead: User, trust: Organisation, consultant: User, changes: dict[str, object], says: str
) -> None:
    values = {"holder": consultant} if "holder_name" in changes else {}
    with pytest.raises(SuccessionError, match=says):
        post_create(organisation=trust, actor=lead, fields=fields(**values, **changes), now=now())
    assert not Post.objects.exists() and not ChangeEvent.objects.exists()


def test_a_holder_from_another_organisation_is_refused_by_name(lead: User, trust: Organisation) -> None:
    elsewhere = ProfileFactory(user__first_name="Mo", user__last_name="Elsewhere").user
    with pytest.raises(SuccessionError, match=f"Mo Elsewhere is not at {trust.name}."):
        post_create(organisation=trust, actor=lead, fields=fields(holder=elsewhere), now=now())
    no_profile = UserFactory(first_name="No", last_name="Profile")
    with pytest.raises(SuccessionError, match="No Profile is not at"):
        post_create(organisation=trust, actor=lead, fields=fields(holder=no_profile), now=now())
    assert not Post.objects.exists()


def test_only_the_organisations_lead_changes_its_posts(lead: User, trust: Organisation, organiser: User) -> None:
    other_lead = make_lead(OrganisationFactory())
    post = make_post(trust)
    for actor in (other_lead, organiser):
        with pytest.raises(SuccessionError, match="Only the organisation's lead"):
            post_create(organisation=trust, actor=actor, fields=fields(), now=now())
        with pytest.raises(SuccessionError, match="Only the organisation's lead"):
            post_update(post_id=post.pk, actor=actor, fields=fields(), now=now())
        with pytest.raises(SuccessionError, match="Only the organisation's lead"):
            post_remove(post_id=post.pk, actor=actor, now=now())
        with pytest.raises(SuccessionError, match="Only the organisation's lead"):
            structure_apply(organisation=trust, actor=actor, structure=shipped().examples[0], now=now())
    assert list(Post.objects.values_list("pk", flat=True)) == [post.pk]


def test_a_post_keeps_its_level_while_anyone_stands_forward_for_it(lead: User, trust: Organisation) -> None:
    post = make_post(trust, level=LeadershipLevel.ASSOCIATE_MD, title="Associate medical director")
    candidacy = make_candidacy(UserFactory(), trust, post)
    with pytest.raises(SuccessionError, match="1 person stands forward for this post at its level"):
        post_update(post_id=post.pk, actor=lead, fields=fields(title="Deputy MD", level=4), now=now())
    post.refresh_from_db()
    candidacy.refresh_from_db()
    assert (post.title, post.level, candidacy.level) == ("Associate medical director", 3, 3)
    assert not ChangeEvent.objects.exists()
    # Its title and everything else can change; so can the level of a post no one stands forward for.
    post_update(post_id=post.pk, actor=lead, fields=fields(title="Associate MD, quality", level=3), now=now())
    empty = make_post(trust, level=LeadershipLevel.ASSOCIATE_MD, title="Associate medical director, safety")
    post_update(post_id=empty.pk, actor=lead, fields=fields(title="Deputy MD, safety", level=4), now=now())
    empty.refresh_from_db()
    assert empty.level == 4


def test_only_people_the_leads_already_see_are_offered_as_holders(
    lead: User, trust: Organisation, consultant: User
) -> None:
    bystander = ProfileFactory(organisation=trust, user__first_name="Nia", user__last_name="Quiet").user
    named = ProfileFactory(organisation=trust, user__first_name="Hal", user__last_name="Holder").user
    make_post(trust, holder=named)
    response = signed_in(lead).get(reverse("succession:post_new"))
    page = response.content.decode()
    assert "Ravi Patel" in page and "Hal Holder" in page and lead.display_name in page
    assert "Nia Quiet" not in page  # on the portal at the trust, but never chose to be seen by its leads
    with pytest.raises(SuccessionError, match="Type Nia Quiet's name"):
        post_create(organisation=trust, actor=lead, fields=fields(holder=bystander), now=now())
    assert not Post.objects.filter(holder=bystander).exists()


def test_post_update_without_a_change_logs_nothing(lead: User, trust: Organisation) -> None:
    post = make_post(trust, title="Clinical director", level=2)
    post_update(post_id=post.pk, actor=lead, fields=fields(), now=now())
    assert not ChangeEvent.objects.exists()


def test_removing_a_post_leaves_its_candidacies_standing_for_the_level(lead: User, trust: Organisation) -> None:
    post = make_post(trust)
    other_post = make_post(trust, title="Deputy medical director for safety")
    first, second = UserFactory(), UserFactory()
    kept = make_candidacy(first, trust, post)
    # `second` stands forward for the level already, and for both deputy posts: one candidacy stays, the level one.
    level_one = make_candidacy(second, trust, None, level=LeadershipLevel.DEPUTY_MD)
    make_candidacy(second, trust, post)
    make_candidacy(second, trust, other_post)
    assert post_remove(post_id=post.pk, actor=lead, now=now()) == 2
    assert not Post.objects.filter(pk=post.pk).exists()
    kept.refresh_from_db()
    assert kept.post is None and kept.level == LeadershipLevel.DEPUTY_MD
    assert set(Candidacy.objects.filter(person=second).values_list("pk", "post")) == {
        (level_one.pk, None),
        (Candidacy.objects.get(person=second, post=other_post).pk, other_post.pk),
    }
    post_remove(post_id=other_post.pk, actor=lead, now=now())
    assert list(Candidacy.objects.filter(person=second).values_list("pk", flat=True)) == [level_one.pk]
    event = ChangeEvent.objects.filter(action="removed a post").first()
    assert event is not None and event.before["people standing forward"] in (1, 2)


def test_everyone_who_stood_forward_for_a_removed_post_is_told_once(lead: User, trust: Organisation) -> None:
    post = make_post(trust, title="Deputy medical director for quality")
    first, second = UserFactory(), UserFactory()
    make_candidacy(first, trust, post)
    make_candidacy(second, trust, post)
    bystander = UserFactory()
    make_candidacy(bystander, trust, make_post(trust, title="Another deputy post"))
    post_remove(post_id=post.pk, actor=lead, now=now())
    told = Reminder.objects.filter(kind="succession_post_removed")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted([first.pk, second.pk])
    context = told.first().context  # type: ignore[union-attr]
    assert context["post_title"] == "Deputy medical director for quality"
    assert context["level"] == "Deputy medical director" and context["url"] == reverse("succession:mine")


def test_removing_a_removed_post_says_so(lead: User, trust: Organisation) -> None:
    post = make_post(trust)
    post_remove(post_id=post.pk, actor=lead, now=now())
    with pytest.raises(SuccessionError, match="already been removed"):
        post_remove(post_id=post.pk, actor=lead, now=now())


def test_structure_apply_makes_the_posts_once(lead: User, trust: Organisation) -> None:
    one = shipped().examples[0]
    made = structure_apply(organisation=trust, actor=lead, structure=one, now=now())
    assert len(made) == 12 == Post.objects.filter(organisation=trust).count()
    deputies = Post.objects.filter(organisation=trust, level=4).order_by("pk")
    assert [(p.title, p.portfolio) for p in deputies] == [
        ("Deputy medical director", "mental health"),
        ("Deputy medical director", "physical health"),
        ("Deputy medical director", "patient safety and governance"),
    ]
    assert Post.objects.filter(title="Clinical director (3 of 4)").exists()
    with pytest.raises(SuccessionError, match="already has posts"):
        structure_apply(organisation=trust, actor=lead, structure=shipped().examples[2], now=now())
    assert Post.objects.filter(organisation=trust).count() == 12
    assert ChangeEvent.objects.filter(action="started the posts from a structure").count() == 1


def test_every_structure_applies(trust: Organisation) -> None:
    for example in shipped().examples:
        organisation = OrganisationFactory()
        made = structure_apply(organisation=organisation, actor=make_lead(organisation), structure=example, now=now())
        assert len(made) == example.post_count


# The pages -------------------------------------------------------------------------------------------------------


def test_the_empty_list_offers_the_three_structures(lead: User, trust: Organisation) -> None:
    page = signed_in(lead).get(reverse("succession:posts")).content.decode()
    assert f"{trust.name} has no posts here yet" in page
    for example in shipped().examples:
        assert example.name in page
    assert page.count("Start from this structure") == 3


def test_the_structures_page_shows_each_with_its_source(lead: User) -> None:
    page = signed_in(lead).get(reverse("succession:structures")).content.decode()
    assert "Exploring the role of senior medical leadership in mental health providers in England" in page
    assert "3 deputy medical directors to cover mental health, physical health and patient safety and governance" in (
        page
    )
    assert "chief pharmacist" in page and "Not listed" in page
    assert page.count("Start from this structure") == 3


def test_starting_from_a_structure(lead: User, trust: Organisation) -> None:
    response = signed_in(lead).post(
        reverse("succession:structure_apply"), {"structure": "mental-health-trust"}, follow=True
    )
    page = response.content.decode()
    assert "8 posts are added from Example three: mental health trust" in page
    assert "Clinical director (5 of 5)" in page and "external focus (the ICB)" in page
    again = signed_in(lead).post(
        reverse("succession:structure_apply"), {"structure": "mental-health-trust"}, follow=True
    )
    assert "already has posts" in again.content.decode()
    assert Post.objects.filter(organisation=trust).count() == 8
    assert "Start from this structure" not in signed_in(lead).get(reverse("succession:structures")).content.decode()


def test_an_unknown_structure_is_a_message(lead: User) -> None:
    response = signed_in(lead).post(reverse("succession:structure_apply"), {"structure": "emperor"}, follow=True)
    assert "Choose one of the three structures" in response.content.decode()
    assert not Post.objects.exists()


def test_adding_a_post_with_a_holder(lead: User, trust: Organisation, consultant: User) -> None:
    client = signed_in(lead)
    form = client.get(reverse("succession:post_new")).content.decode()
    assert "Ravi Patel" in form and consultant.email not in form
    response = client.post(reverse("succession:post_new"), data(holder=str(consultant.pk)), follow=True)
    page = response.content.decode()
    assert "Deputy medical director for quality is added" in page
    post = Post.objects.get()
    assert (post.organisation, post.holder, post.pas, post.expected_vacancy) == (
        trust,
        consultant,
        Decimal("4.5"),
        date(2027, 3, 31),
    )
    assert "Ravi Patel" in page and "31 March 2027" in page and "Within six months" in page


def test_a_vacancy_beyond_six_months_is_not_marked(lead: User, trust: Organisation) -> None:
    make_post(trust, expected_vacancy=date(2027, 6, 8))
    make_post(trust, title="Medical director", level=5, expected_vacancy=date(2027, 6, 7))
    page = signed_in(lead).get(reverse("succession:posts")).content.decode()
    assert page.count("Within six months") == 1


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"expected_vacancy": "2026-12-06"}, "cannot be in the past"),
        ({"title": ""}, "Enter the post&#x27;s title"),
        ({"level": "6"}, "Choose the post&#x27;s level from the list"),
        ({"pas": "16.5"}, "Enter a number of PAs from 0 to 16"),
        ({"pas": "2.25"}, "Enter a number of PAs from 0 to 16"),
        ({"holder_name": "Dr Typed"}, "not both"),
        ({"expected_vacancy": "2027-02-30"}, "Enter a real date"),
    ],
)
def test_bad_input_on_the_form_is_refused_and_kept(
    lead: User, consultant: User, changes: dict[str, object], says: str
) -> None:
    response = signed_in(lead).post(reverse("succession:post_new"), data(holder=str(consultant.pk), **changes))
    page = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in page and says in page
    assert "Deputy medical director for quality" in page or changes.get("title") == ""
    assert not Post.objects.exists()


def test_a_holder_from_another_organisation_is_refused_on_the_form(lead: User) -> None:
    elsewhere = ProfileFactory(user__first_name="Mo", user__last_name="Elsewhere").user
    response = signed_in(lead).post(reverse("succession:post_new"), data(holder=str(elsewhere.pk)))
    assert response.status_code == 400
    assert "Choose the holder from the list of people at your organisation" in response.content.decode()
    assert "Mo Elsewhere" not in response.content.decode()
    assert not Post.objects.exists()


def test_editing_a_post(lead: User, trust: Organisation, consultant: User) -> None:
    post = make_post(trust, holder_name="Dr Typed Name")
    client = signed_in(lead)
    form = client.get(reverse("succession:post_edit", args=[post.pk])).content.decode()
    assert "Dr Typed Name" in form
    response = client.post(
        reverse("succession:post_edit", args=[post.pk]), data(title="Deputy MD, safety", holder=consultant.pk)
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "Deputy MD, safety" and post.holder == consultant and post.holder_name == ""


def test_removing_a_post_tells_the_lead_who_stands_forward(lead: User, trust: Organisation) -> None:
    post = make_post(trust)
    make_candidacy(UserFactory(), trust, post)
    make_candidacy(UserFactory(), trust, post)
    client = signed_in(lead)
    confirm = client.get(reverse("succession:post_remove", args=[post.pk])).content.decode()
    assert "2 people stand forward for this post" in confirm
    assert "standing forward for deputy medical director at your organisation" in confirm
    page = client.post(reverse("succession:post_remove", args=[post.pk]), follow=True).content.decode()
    assert (
        "Deputy medical director is removed. The 2 people who stood forward for it still stand forward for deputy "
        f"medical director at {trust.name}."
    ) in page
    assert not Post.objects.exists() and Candidacy.objects.filter(post__isnull=True).count() == 2


@pytest.fixture
def other_post(db: None) -> Post:
    return make_post(OrganisationFactory(), title="Their medical director", level=5)


def test_a_lead_of_another_organisation_gets_404_and_changes_nothing(lead: User, other_post: Post) -> None:
    client = signed_in(lead)
    for name in ("post_edit", "post_remove"):
        assert client.get(reverse(f"succession:{name}", args=[other_post.pk])).status_code == 404
    assert client.post(reverse("succession:post_edit", args=[other_post.pk]), data()).status_code == 404
    assert client.post(reverse("succession:post_remove", args=[other_post.pk])).status_code == 404
    other_post.refresh_from_db()
    assert other_post.title == "Their medical director"
    assert "Their medical director" not in client.get(reverse("succession:posts")).content.decode()


@pytest.mark.parametrize("who", ["owner", "organiser", "administrator"])
def test_people_without_the_role_get_403(who: str, request: pytest.FixtureRequest, other_post: Post) -> None:
    client = signed_in(request.getfixturevalue(who))
    pages = [
        ("get", reverse("succession:posts")),
        ("get", reverse("succession:post_new")),
        ("post", reverse("succession:post_new")),
        ("get", reverse("succession:post_edit", args=[other_post.pk])),
        ("post", reverse("succession:post_remove", args=[other_post.pk])),
        ("get", reverse("succession:structures")),
        ("post", reverse("succession:structure_apply")),
    ]
    for method, url in pages:
        payload = {"structure": "mental-health-trust"} if "start" in url else data()
        response = getattr(client, method)(url, payload) if method == "post" else client.get(url)
        assert response.status_code == 403, url
    assert list(Post.objects.values_list("pk", flat=True)) == [other_post.pk]


def test_a_revoked_lead_is_refused(lead: User, trust: Organisation) -> None:
    RoleGrant.objects.filter(user=lead, role=Role.ORGANISATION_LEAD).update(revoked_at=timezone.now())
    assert signed_in(lead).get(reverse("succession:posts")).status_code == 403


def test_signed_out_is_sent_to_sign_in(client: Client) -> None:
    assert client.get(reverse("succession:posts")).status_code == 302


def test_the_list_query_count_is_constant(
    lead: User, trust: Organisation, consultant: User, django_assert_num_queries: object
) -> None:
    client = signed_in(lead)
    client.get(reverse("succession:posts"))  # the first request of a session records it (usersessions)

    def count() -> str:
        # 1. the session  2. the user  3. their roles (role_required, then the navigation: cached)
        # 4. the organisation they lead (its grant)  5. the organisation
        # 6. the posts with their holders  7. unread notifications
        with django_assert_num_queries(7):  # type: ignore[operator]
            return client.get(reverse("succession:posts")).content.decode()

    make_post(trust, holder=consultant)
    count()
    for n in range(12):
        holder = ProfileFactory(organisation=trust).user
        make_post(trust, title=f"Clinical director {n}", level=2 + n % 3, holder=holder, pas=Decimal("2"))
    page = count()
    assert "Clinical director 11" in page

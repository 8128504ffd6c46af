"""No input reaches a 500 (issue 13): every form a person submits, sent bad values one field at a time.

Each form starts from a valid answer (bad_input_forms.py, built with the helpers of its app's tests); one field is
replaced by a value from bad_values.py: a few everyone should try, then a few hypothesis makes, from a seed fixed
per form and field so that every run sends the same ones. Whatever the value:

- the answer is never a 5xx;
- a refusal is a 4xx that says why (the error summary, or the message by the field), naming this field when the
  error is the field's, and the database is exactly as it was (every table's rows, not only their number);
- an acceptance is of a value the field's column could hold (`bad_values.acceptable`), and free text is stored
  as typed (less the spaces at its ends) and shown escaped.

Each example runs in a savepoint rolled back after it, so an accepted answer does not change the next one's start.
"""

import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime
from functools import cache
from typing import Any

import pytest
import time_machine
from django import forms
from django.core.cache import cache as django_cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, transaction
from django.db.models import Model
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, Phase, example, given, seed, settings

from apps.assessments.services import assessment_start
from tests.conftest import signed_in
from tests.factories import year_plan
from tests.learning_sets.sets_support import NOW as SETS_NOW

from .bad_input_forms import FORM_CLASSES, FORMS, Form, People, Scenario, load_person_spec, make_world, round_pairs
from .bad_values import GENERATED, MARKUP, Field, Kind, acceptable, explicit, stored_as

pytestmark = pytest.mark.django_db

# A handful of made-up values per field on top of the explicit ones: enough to find what the list misses, few
# enough that the module runs in about a minute on two cores.
GENERATED_EXAMPLES = 2
PROBLEM = "There is a problem"
# Tables no form writes (Django's own lists of models and permissions), or that any request may: sessions.
UNWATCHED = {"django_session", "usersessions_usersession", "auth_permission", "django_content_type"}


@pytest.fixture
def people(request: pytest.FixtureRequest, db: None) -> People:
    return People(request)


def _clock(at: datetime | None) -> Any:
    return time_machine.travel(at, tick=False) if at else nullcontext()


@contextmanager
def _rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@cache
def _digest_sql() -> str:
    """One query for a digest of each table a form could write: md5 of its rows, sorted, as text."""
    tables = sorted(set(connection.introspection.django_table_names(only_existing=True)) - UNWATCHED)
    quote = connection.ops.quote_name
    return " UNION ALL ".join(  # the names are Django's own tables', not input
        f"SELECT '{table}', md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {quote(table)} t"  # noqa: S608
        for table in tables
    )


def database_state() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(_digest_sql())
        return dict(cursor.fetchall())


def _changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [table for table in after if before.get(table) != after[table]]


def _send(form: Form, scenario: Scenario, data: dict[str, Any]) -> Any:
    if form.refusal == "allauth":
        django_cache.clear()  # allauth's rate limits would refuse the 21st sign-up a minute, whatever it said
    send = scenario.client.get if form.method == "get" else scenario.client.post
    return send(scenario.url, data, headers=scenario.headers)


def _says_why(page: str) -> bool:
    """An error summary, an error message by a field, or an error banner (after a redirect)."""
    return any(mark in page for mark in ("nhsuk-error-summary", "nhsuk-error-message", PROBLEM))


def _error_targets(page: str) -> list[str]:
    """The inputs the page says are wrong: the links of its error summary, and the ids of its fields' errors."""
    summary = re.search(r'nhsuk-error-summary__list">(.*?)</ul>', page, re.S)
    linked = re.findall(r'href="#([^"]+)"', summary.group(1)) if summary else []
    return linked + re.findall(r'id="(id_[^"]+)-error"', page)


def _names_the_field(page: str, key: str, field: Field) -> bool:
    """The errors name this field (or one whose error it can cause), or are all about the whole form."""
    targets = _error_targets(page)
    names = [key, *field.related]
    return not targets or any(t == f"id_{n}" or t.startswith(f"id_{n}_") for t in targets for n in names)


def _judge(form: Form, scenario: Scenario, field: Field, value: Any, before: dict[str, str]) -> None:
    """Send the valid answer with `value` in `field`; `before` is the database as every example starts."""
    key = scenario.key(field.name)
    response = _send(form, scenario, {**scenario.data, key: value})
    status = response.status_code
    assert status < 500, f"{form.name}: {key}={value!r} answered {status}"
    page = response.content.decode()
    if value == MARKUP:
        assert MARKUP not in page, f"{form.name}: {key} shown unescaped"
    if form.refusal == "search":
        assert status == 200, f"{form.name}: {key}={value!r} answered {status}"
        assert not _changed(before, database_state()), f"{form.name}: a search changed the database"
        return
    if form.refusal == "message":
        assert status == 302, f"{form.name}: {key}={value!r} answered {status}"
        page = scenario.client.get(response["Location"]).content.decode()
        refused = PROBLEM in page
    elif form.refusal == "allauth":
        refused = status != 302  # allauth re-renders a refused form with 200
    else:
        refused = status >= 400
    if refused:
        assert _says_why(page), f"{form.name}: {key}={value!r} refused ({status}) without saying why"
        assert _names_the_field(page, key, field), f"{form.name}: {key}={value!r}: errors on {_error_targets(page)}"
        changed = _changed(before, database_state())
        assert not changed, f"{form.name}: {key}={value!r} was refused but changed {changed}"
        return
    foreign = scenario.foreign.get(field.name, [])
    assert acceptable(field, value, foreign=foreign), f"{form.name}: {key}={value!r} was accepted ({status})"
    expected = stored_as(field, value)
    if expected is None:
        return
    model: type[Model] = field.model()
    column = field.column.rsplit(".", 1)[1]
    assert model._default_manager.filter(**{column: expected}).exists(), f"{form.name}: {key} not stored as typed"
    if field.shown and "\n" not in expected and "\r" not in expected:
        shown = scenario.client.get(response["Location"]).content.decode() if status == 302 else page
        assert escape(expected) in shown, f"{form.name}: {key} not shown as typed"


def _values(field: Field, foreign: list[str]) -> list[Any]:
    others = [[value] for value in foreign] if field.kind in (Kind.IDS, Kind.MULTI) else list(foreign)
    return [*explicit(field), *others]


def fuzz(form: Form, scenario: Scenario, field: Field) -> None:
    before = database_state()  # the same for every example: each is rolled back

    @seed(zlib.crc32(f"{form.name}.{field.name}".encode()))
    @settings(
        max_examples=GENERATED_EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(value=GENERATED[field.kind])
    def check(value: Any) -> None:
        with _rolled_back():
            _judge(form, scenario, field, value, before)

    for value in reversed(_values(field, scenario.foreign.get(field.name, []))):
        check = example(value=value)(check)
    check()


CASES = [pytest.param(form, field, id=f"{form.name}-{field.name}") for form in FORMS for field in form.fields]


@pytest.mark.parametrize("form", [pytest.param(form, id=form.name) for form in FORMS])
def test_the_valid_answer_each_fuzz_starts_from_is_accepted(form: Form, people: People) -> None:
    with _clock(form.at):
        scenario = form.build(people)
        response = _send(form, scenario, scenario.data)
        if form.refusal == "message":
            assert response.status_code == 302
            response = scenario.client.get(response["Location"])
        assert response.status_code in (200, 302), response.content.decode()[:2000]
        assert not _says_why(response.content.decode()), _error_targets(response.content.decode())


@pytest.mark.parametrize(("form", "field"), CASES)
def test_a_bad_value_is_refused_by_name_or_accepted_intact(form: Form, field: Field, people: People) -> None:
    with _clock(form.at):
        fuzz(form, form.build(people), field)


LIMITED = [
    pytest.param(form, field, id=f"{form.name}-{field.name}")
    for form in FORMS
    if form.name in FORM_CLASSES
    for field in form.fields
    if field.column and field.name in FORM_CLASSES[form.name].base_fields  # type: ignore[attr-defined]
]


@pytest.mark.parametrize(("form", "field"), LIMITED)
def test_no_form_field_holds_more_than_its_column(form: Form, field: Field) -> None:
    """Text as long as its column, numbers inside its range, choices among its own: what the form takes, the
    database holds (a tighter rule of the form's own, such as at most 12 in a set, is fine)."""
    form_class = FORM_CLASSES[form.name]
    form_field = form_class.base_fields[field.name]  # type: ignore[attr-defined]
    column = field.model_field()
    assert column is not None
    if issubclass(form_class, forms.ModelForm) and field.name in form_class._meta.fields:  # type: ignore[operator]
        return  # the model's own validators run in the form (ModelForm._post_clean): its limits are the column's
    if isinstance(form_field, forms.CharField) and not isinstance(form_field, forms.ChoiceField):
        assert form_field.max_length == column.max_length, f"{form.name}: {field.name}"
    low, high = _range(column.validators)
    if isinstance(form_field, forms.IntegerField | forms.FloatField | forms.DecimalField):
        form_low, form_high = _range(form_field.validators)
        assert low is None or (form_low is not None and form_low >= low), f"{form.name}: {field.name} below {low}"
        assert high is None or (form_high is not None and form_high <= high), f"{form.name}: {field.name} above {high}"
    if isinstance(form_field, forms.ChoiceField) and not isinstance(form_field, forms.ModelChoiceField):
        offered = {str(value) for value, _ in form_field.choices if value != ""}  # type: ignore[misc, union-attr]
        if column.flatchoices:
            allowed = {str(value) for value, _ in column.flatchoices}
            assert offered <= allowed, f"{form.name}: {field.name} offers {offered - allowed}"
        else:  # a number from a list, such as 1 to 5
            assert all(low <= int(value) <= high for value in offered), f"{form.name}: {field.name} offers {offered}"


def _range(validators: list[Any]) -> tuple[Any, Any]:
    low = max((v.limit_value for v in validators if isinstance(v, MinValueValidator)), default=None)
    high = min((v.limit_value for v in validators if isinstance(v, MaxValueValidator)), default=None)
    return low, high


BAD_IN_ADDRESSES = ["%00", "a%00b", "%C2%B2", "9" * 30, "-1", "%F0%9F%8F%A5", "x" * 2000]


def test_a_bad_value_in_an_address_or_a_link_is_never_a_500(people: People) -> None:
    """What no form checks: parts of the address and parameters of links, which views read themselves."""
    owner = signed_in(people.owner)
    assessment = assessment_start(owner=people.owner, framework=load_person_spec(), target_level=5, now=timezone.now())
    plan = year_plan(people.owner)
    pages = [
        (owner, "get", "/self-assessment/{assessment}/part/{bad}/"),
        (owner, "get", "/self-assessment/{assessment}/evidence/{bad}/add/"),
        (owner, "get", "/plans/{plan}/goals/new/?suggestion={bad}&criteria={bad}"),
        (owner, "get", "/plans/{plan}/reflections/new/?about={bad}"),
        (owner, "get", "/plans/{plan}/evidence/new/?about={bad}"),
        (owner, "post", "/plans/{plan}/{bad}/1/remove/"),
        (owner, "post", "/plans/{plan}/suggestions/{bad}/"),
        (owner, "get", "/frameworks/{bad}/"),
        (owner, "get", "/profile/who-has-seen-my-records/?page={bad}"),
        (Client(), "get", "/learning-sets/calendar/{bad}.ics"),
        (Client(), "get", "/feedback/{bad}/"),
        (Client(), "post", "/feedback/{bad}/"),
        (Client(), "get", "/notifications/unsubscribe/{bad}/"),
        (Client(), "post", "/notifications/unsubscribe/{bad}/"),
        (Client(), "get", "/account/password/reset/key/1-{bad}/"),
        (Client(), "get", "/account/confirm-email/{bad}/"),
    ]
    for client, method, page in pages:
        for bad in BAD_IN_ADDRESSES:
            path = page.format(assessment=assessment.pk, plan=plan.pk, bad=bad)
            with _rolled_back():
                response = getattr(client, method)(path)
            assert response.status_code < 500, f"{method} {path}: {response.status_code}"


def test_a_bad_value_in_a_live_check_is_never_a_500(people: People) -> None:
    """The htmx checks behind the organisers' review pages read their parameters themselves."""
    organiser = signed_in(people.organiser)
    pair, _, _ = round_pairs(people.organiser)
    scheme, match_round = pair.round.scheme_id, pair.round_id
    with time_machine.travel(SETS_NOW, tick=False):
        world = make_world(people, published=False)
        application = world.programme.applications.first()
        assert application is not None
        checks = [
            f"/mentoring/schemes/{scheme}/rounds/{match_round}/pairs/{pair.pk}/check/?mentor={{bad}}",
            f"/mentoring/schemes/{scheme}/rounds/{match_round}/?show={{bad}}&page={{bad}}",
            f"/learning-sets/programmes/{world.programme.pk}/review/people/{application.pk}/check/?target={{bad}}",
            f"/learning-sets/programmes/{world.programme.pk}/review/swap/check/?first={{bad}}&second={{bad}}",
            f"/learning-sets/sets/{world.set1.pk}/reflections/new/?session={{bad}}",
        ]
        for check in checks:
            for bad in BAD_IN_ADDRESSES:
                client = signed_in(people.owner) if "/sets/" in check else organiser
                response = client.get(check.format(bad=bad), headers={"HX-Request": "true"})
                assert response.status_code < 500, f"{check.format(bad=bad)}: {response.status_code}"

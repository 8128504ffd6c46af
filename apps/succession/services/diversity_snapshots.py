"""The diversity tables an organisation lead reads change only once enough people's entries have changed.

Computed live, the tables leak one person at a time to a lead who also sees, on the same page, the name of everyone
standing forward: a row reads women 5, men 5; the next day one named person joins and it reads women 6, men 5,
so the newcomer is a woman. A withdrawal, or one person changing an answer, gives themself away the same way. The
rule ("anything derived from few people is suppressed or delayed so no sequence of views reveals one person")
therefore needs more than suppressing small counts: the tables are kept in a `DiversitySnapshot` (one per
organisation) and each row (a level and horizon) is worked out again only when at least `REPORT_MIN_COUNT` (5) of
its people's entries differ from those it was worked out from (someone joined or left the row, or changed an
answer). Until then every view shows the stored row, "as at" the day it was worked out. Row by row, because the
lead knows who is in each row (names and readiness are on the page): with one threshold for the whole
organisation, four strangers joining one row would publish every other row too, and in a row only one named
person joined, the difference would be their answer. The same approach as the careers
routes figures (apps/careers/services/figures.py), without the calendar: a lead reads one organisation's tables,
and there is no month to wait for.

To count changed people without keeping who they are, the snapshot holds, row by row, for each person two keyed hashes
(HMAC-SHA256 under the secret key, with the organisation in them, so the same person has unrelated keys at two
organisations): one of the person, one of the person with their row and answers. Changed people are those in one
set and not the other, and those whose second hash differs. Nothing else about anyone is stored: the tables are
already suppressed.

A withdrawal does not force new tables: the withdrawn person's answers stay inside the suppressed aggregate until
the tables are next worked out (the withdraw page says so). Forcing it would show the lead, by difference, the
answers of the one person they just saw leave.

Two leads opening the page at once must not fail nor publish two tables one person apart: writing takes a lock on
the organisation's row (FOR NO KEY UPDATE, which does not stop candidacies being added for it), looks again, and
only then stores, so the second request reads what the first stored.

What this cannot stop: a lead who controls four accounts standing forward (or four people acting with them) can
change their entries in one named person's row right after that person joins, and subtract the changes they made
themselves. Any rule that waits for a number of changes gives way to that many accomplices; only added noise would
not, and this portal shows exact counts. The cost of the attempt (real accounts standing forward, on the record) is
the remaining defence.
"""

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from apps.organisations.models import Organisation

from ..diversity import Person, Table, merge_tables, tables_from_json, tables_to_json
from ..models import DiversitySnapshot

PERSON_SALT = "apps.succession.diversity-snapshot.person"
ENTRY_SALT = "apps.succession.diversity-snapshot.entry"

Members = dict[str, dict[str, str]]  # row ("level:horizon") -> {keyed hash of a person: keyed hash of their entry}


def _hmac(salt: str, value: object) -> str:
    return salted_hmac(salt, json.dumps(value), secret=settings.SECRET_KEY, algorithm="sha256").hexdigest()


def row_key(level: int, horizon: str) -> str:
    return f"{level}:{horizon}"


def diversity_members(*, organisation_id: int, people: Mapping[int, Person]) -> Members:
    """Row by row, for each person counted (by id), a keyed hash of who they are mapped to a keyed hash of their
    entry: the row they fall in and their answers, in a fixed order."""
    members: Members = {}
    for person_id, person in people.items():
        answers = sorted(person.answers.items())
        who = _hmac(PERSON_SALT, [organisation_id, person_id])
        entry = _hmac(ENTRY_SALT, [organisation_id, person_id, person.level, person.horizon, answers])
        members.setdefault(row_key(person.level, person.horizon), {})[who] = entry
    return members


def changed_people(before: Mapping[str, str], now: Mapping[str, str]) -> int:
    """How many people's entries differ: come, gone, or changed (each person once, however much changed)."""
    return sum(1 for who in before.keys() | now.keys() if before.get(who) != now.get(who))


def _to_renew(stored: DiversitySnapshot | None, members: Members) -> set[str] | None:
    """The rows to work out again (those where at least `REPORT_MIN_COUNT` people's entries changed); None when
    nothing is stored yet, so every row is worked out."""
    if stored is None:
        return None
    return {
        row
        for row in stored.members.keys() | members.keys()
        if changed_people(stored.members.get(row, {}), members.get(row, {})) >= settings.REPORT_MIN_COUNT
    }


def diversity_snapshot_current(
    *,
    organisation: Organisation,
    people: Mapping[int, Person],
    build: Callable[[Sequence[Person]], Sequence[Table]],
    order: Sequence[tuple[int, str]],
    now: datetime,
) -> DiversitySnapshot:
    """The tables to show for `organisation`, given the people counted now (each in their one row), how to build
    tables from them and the order of the rows (level, horizon): the stored ones (one query) while no row has
    `REPORT_MIN_COUNT` people whose entries changed; otherwise, or on the first view, those rows worked out from
    `people` and stored."""
    members = diversity_members(organisation_id=organisation.pk, people=people)
    stored = DiversitySnapshot.objects.filter(organisation=organisation).first()
    renew = _to_renew(stored, members)
    if stored is not None and not renew:
        return stored
    return _store(organisation=organisation, people=people, members=members, build=build, order=order, now=now)


@transaction.atomic
def _store(
    *,
    organisation: Organisation,
    people: Mapping[int, Person],
    members: Members,
    build: Callable[[Sequence[Person]], Sequence[Table]],
    order: Sequence[tuple[int, str]],
    now: datetime,
) -> DiversitySnapshot:
    """Stores the renewed rows under a lock on the organisation, having looked again: a request that held the lock
    first may have renewed them already, and then what it stored is what to show."""
    list(Organisation.objects.select_for_update(no_key=True).filter(pk=organisation.pk).values_list("pk"))
    stored = DiversitySnapshot.objects.filter(organisation=organisation).first()
    renew = _to_renew(stored, members)
    if stored is not None and not renew:
        return stored
    every_row = members.keys() | (stored.members.keys() if stored is not None else set())
    renewing = every_row if renew is None else renew
    fresh = build(list(people.values()))
    old = tables_from_json(stored.tables) if stored is not None else ()
    tables = merge_tables(
        old,
        fresh,
        renew={key for key in order if row_key(*key) in renewing},
        as_at=timezone.localdate(now),
        order=order,
    )
    kept = stored.members if stored is not None else {}
    # Renewed rows as they are now (a row no one is in any longer goes); every other row as it was stored.
    new_members = {row: members[row] for row in renewing if row in members}
    new_members |= {row: kept[row] for row in every_row - renewing if row in kept}
    if stored is None:
        return DiversitySnapshot.objects.create(
            organisation=organisation, computed_at=now, tables=tables_to_json(tables), members=new_members
        )
    stored.computed_at, stored.tables, stored.members = now, tables_to_json(tables), new_members
    stored.save(update_fields=["computed_at", "tables", "members"])
    return stored

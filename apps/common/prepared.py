"""A query the ORM builds once per process and that then runs with each request's values (issue 20).

Building a queryset of many subqueries costs the ORM far more than the database's answer: the dashboard's one
query of what waits (five counts and nine EXISTS, each from its app's selector) took 9 ms of Python to build and
compile and 2 ms in PostgreSQL. Its SQL depends on nothing but the values it is given, so it is built once, and each
request runs the same SQL with its own values.

That "nothing but the values" is checked, not assumed: the query is built twice, from two sets of stand-in values
that differ in every field (two unsaved model instances unlike in id and every plain field; two instants), and it is
kept only if the two SQL texts are the same and their parameters differ exactly where a stand-in's id or instant
went in. A selector that branched on the person, or put a value derived from one (an e-mail, "now" less a week)
into the SQL, makes the two differ: the query is then built afresh on every call, as before. What two stand-ins
cannot show is a branch on something read from the database about the person (their roles, say): so a query kept
here must be built from selectors that filter by the person and the instant only, and with
`settings.PREPARED_QUERIES_CHECK` (on in the test suite) every run also builds it afresh and compares, so every
test that shows the dashboard checks the stored SQL against the ORM's for that person. In production one run in
`CHECK_EVERY` is compared: a difference is logged as an error and the query is built afresh from then on. A date or
time that comes out the same in both builds is never kept (read from the clock while building, it would otherwise
stay the first request's for the life of the process).

Only on PostgreSQL, whose driver takes datetimes as they are (SQLite's backend turns them into text while
compiling); elsewhere the query is built on every call.
"""

import itertools
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Model, QuerySet

Argument = Model | datetime
Arguments = Mapping[str, Argument]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]  # the constants; the arguments' slots hold None
    slots: tuple[tuple[int, str], ...]  # (position in params, argument name)
    columns: tuple[str, ...]
    converters: dict[int, tuple[list[Any], Any]]


def _compile(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...], tuple[str, ...], Any]:
    compiler = queryset.query.get_compiler(using=DEFAULT_DB_ALIAS)
    sql, params = compiler.as_sql()
    columns = tuple(alias for _expression, _sql, alias in compiler.select)
    converters = compiler.get_converters([expression for expression, _sql, _alias in compiler.select])
    return sql, tuple(params), columns, converters


def _stand_in_model(model: type[Model], mark: int, which: int) -> Model:
    """An unsaved `model` whose id and every plain field differ from the other stand-in's: flags all false in one and
    all true in the other, text empty in one and filled in the other, numbers and instants apart."""
    instance = model(pk=-1_000_000 - mark)
    for field in model._meta.concrete_fields:
        if field.primary_key or field.is_relation:
            continue
        if isinstance(field, models.BooleanField):
            setattr(instance, field.attname, bool(which))
        elif isinstance(field, models.EmailField):
            setattr(instance, field.attname, f"stand-in-{mark}@invalid.example" if which else "")
        elif isinstance(field, models.CharField | models.TextField):
            setattr(instance, field.attname, f"stand-in-{mark}" if which else "")
        elif isinstance(field, models.IntegerField):
            setattr(instance, field.attname, -mark - 1)
        elif isinstance(field, models.DateTimeField):
            setattr(instance, field.attname, _stand_in_instant(mark, which))
    return instance


def _stand_in_instant(mark: int, which: int) -> datetime:
    """Instants apart in every part: year, month, day, hour, minute, second, microsecond, weekday and summer time
    (a winter night in 1901, a summer afternoon in 1987)."""
    if which:
        return datetime(1987, 7, 15 + mark, 14, 31, 47, 123_456 + mark, tzinfo=UTC)
    return datetime(1901, 1, 1 + mark, 1, 1, 1, 1 + mark, tzinfo=UTC)


def _stand_ins(arguments: Arguments, which: int) -> dict[str, Argument]:
    """Values of the same kinds as `arguments`, unlike each other in every field for `which` 0 and 1."""
    made: dict[str, Argument] = {}
    for index, (name, value) in enumerate(sorted(arguments.items())):
        mark = 2 * index + which
        if isinstance(value, Model):
            model = value._meta.concrete_model or value._meta.model  # request.user is a proxy: not type(value)
            made[name] = _stand_in_model(model, mark, which)
        elif isinstance(value, datetime):
            made[name] = _stand_in_instant(mark, which)
        else:
            raise TypeError(f"prepared queries take model instances and datetimes, not {type(value).__name__}")
    return made


def _value(argument: Argument) -> Any:
    return argument.pk if isinstance(argument, Model) else argument


# A kept query is also built afresh and compared on one run in this many (every run with PREPARED_QUERIES_CHECK).
CHECK_EVERY = 50
logger = logging.getLogger(__name__)


class PreparedQuery:
    """`build(**arguments)` returns a `.values(...)` queryset of one row; `row(**arguments)` gives that row as a
    dict, from SQL built once per process when the check above allows, else from `build` each time."""

    def __init__(self, build: Callable[..., QuerySet[Any]]) -> None:
        self.build = build
        self._ready = False
        self._kept: _Compiled | None = None
        self._lock = threading.Lock()
        self._runs = itertools.count(1)

    def __repr__(self) -> str:
        return f"PreparedQuery({self.build.__module__}.{self.build.__qualname__})"

    def _prepare(self, arguments: Arguments) -> _Compiled | None:
        first, second = _stand_ins(arguments, 0), _stand_ins(arguments, 1)
        try:
            sql, params, columns, converters = _compile(self.build(**first))
            sql_2, params_2, _columns, _converters = _compile(self.build(**second))
        except Exception:  # a build that needs more than stand-ins (a related row of the person, say): not kept
            logger.warning("prepared query %s cannot be built from stand-ins: built afresh each time", self)
            return None
        if sql != sql_2 or len(params) != len(params_2):
            return None
        values = {name: (_value(first[name]), _value(second[name])) for name in arguments}
        constants: list[Any] = []
        slots: list[tuple[int, str]] = []
        for position, pair in enumerate(zip(params, params_2, strict=True)):
            names = [name for name, stand_in in values.items() if stand_in == pair]
            if names:
                slots.append((position, names[0]))
                constants.append(None)
            elif pair[0] == pair[1] and not isinstance(pair[0], date | time | timedelta):
                constants.append(pair[0])
            else:
                # A value derived from an argument, or a date or time the same in both builds (read from the clock
                # while building, it would stay the first request's for the life of the process): not kept.
                return None
        return _Compiled(sql, tuple(constants), tuple(slots), columns, converters)

    def compiled(self, arguments: Arguments) -> _Compiled | None:
        """The stored SQL (built at the first call), or None where it cannot be kept."""
        if not self._ready:
            with self._lock:
                if not self._ready:
                    postgresql = connections[DEFAULT_DB_ALIAS].vendor == "postgresql"
                    self._kept = self._prepare(arguments) if postgresql else None
                    self._ready = True
        return self._kept

    def row(self, **arguments: Argument) -> dict[str, Any]:
        compiled = self.compiled(arguments)
        if compiled is None:
            rows = list(self.build(**arguments))
            if len(rows) != 1:
                raise LookupError(f"a prepared query gave {len(rows)} rows, not one")
            return dict(rows[0])
        params = list(compiled.params)
        for position, name in compiled.slots:
            params[position] = _value(arguments[name])
        checking = getattr(settings, "PREPARED_QUERIES_CHECK", False)
        if checking or next(self._runs) % CHECK_EVERY == 0:
            sql, fresh, _columns, _converters = _compile(self.build(**arguments))
            if (sql, fresh) != (compiled.sql, tuple(params)):
                if checking:
                    raise AssertionError("a prepared query's stored SQL differs from the ORM's for these values")
                # In production: say so, stop using the stored SQL, and answer from the ORM's.
                logger.error("prepared query %s: stored SQL differs from the ORM's; built afresh from now on", self)
                self._kept = None
                return self.row(**arguments)
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            found = cursor.fetchall()
        if len(found) != 1:
            raise LookupError(f"a prepared query gave {len(found)} rows, not one")
        values = list(found[0])
        for position, (functions, expression) in compiled.converters.items():
            for convert in functions:
                values[position] = convert(values[position], expression, connection)
        return dict(zip(compiled.columns, values, strict=True))

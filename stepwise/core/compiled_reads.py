"""Reads made on every request, compiled to SQL once per thread (issue 13, ADR 21).

Building and compiling a queryset costs Django about a millisecond of CPU however small the
query. Measured on PostgreSQL with the benchmark data: the signed-in person's row took 0.95 ms
of CPU through the ORM against 0.13 ms as the same SQL through the same cursor, and their
memberships 1.41 ms against 0.18 ms; every page makes both reads. A `CompiledRead` builds its
queryset once, with stand-in ids, keeps the SQL and the compiler that made it, and afterwards
runs that SQL with the real ids and turns the rows into model instances as Django's own
iterable does (converters, `select_related`, annotations).

Only for reads whose SQL cannot change with the values asked for: the build function takes
ids (whole numbers) and uses nothing else that varies (no dates, no settings, no `None`,
which Django turns into `IS NULL`, no lists, whose length is in the SQL). Compiling checks
that each id appears exactly once among the parameters, so a build that folds an id away or
repeats it fails loudly at its first use instead of reading the wrong rows."""

import threading
from collections.abc import Callable

from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

# Every id the databases can hold (64-bit).
SMALLEST_ID, LARGEST_ID = -(2**63), 2**63 - 1
# Stand-in ids: negative and unlikely, so no real parameter equals one by chance.
STAND_INS = (-730_001_117, -730_002_223, -730_003_331)


class CompiledRead:
    """A read whose SQL is made once per thread and database, then run with new ids."""

    def __init__(self, build: Callable[..., QuerySet], ids: int = 1):
        if not 1 <= ids <= len(STAND_INS):
            raise ValueError(f"A compiled read takes 1 to {len(STAND_INS)} ids, not {ids}")
        self.build = build
        self.ids = ids
        self.model = None
        # Each thread keeps its own: the compiler holds the thread's own connection, which
        # its converters read (SQLite's time zone), and nothing is shared between threads.
        self._local = threading.local()

    def __call__(self, *ids: int) -> list:
        if len(ids) != self.ids:
            raise TypeError(f"This read takes {self.ids} ids, not {len(ids)}")
        if any(type(value) is not int for value in ids):
            raise TypeError(f"A compiled read takes whole-number ids, not {ids!r}")
        if not all(SMALLEST_ID <= value <= LARGEST_ID for value in ids):
            # No row has such an id (a forged address): as the ORM, find nothing, rather
            # than let SQLite refuse the number.
            return []
        return self._compiled_for_this_thread().run(ids)

    def first(self, *ids: int):
        """The first row's instance, or None if there is none."""
        found = self(*ids)
        return found[0] if found else None

    def _compiled_for_this_thread(self) -> "_Compiled":
        if self.model is None:
            self.model = self.build(*STAND_INS[: self.ids]).model
        # The database the router names for this read now (the reports read a replica when
        # one is set up), as a queryset would.
        db = router.db_for_read(self.model)
        compiled = getattr(self._local, "by_db", None)
        if compiled is None:
            compiled = self._local.by_db = {}
        if db not in compiled:
            compiled[db] = _Compiled(self.build(*STAND_INS[: self.ids]).using(db), self.ids)
        return compiled[db]


class _Compiled:
    def __init__(self, queryset: QuerySet, ids: int):
        self.db = queryset.db
        self.compiler = queryset.query.get_compiler(using=self.db)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        # Where each id goes among the parameters.
        self.slots = []
        for stand_in in STAND_INS[:ids]:
            found = [at for at, value in enumerate(self.params) if value == stand_in]
            if len(found) != 1:
                raise ValueError(
                    f"A compiled read must use each id once as a parameter; {stand_in} "
                    f"appears {len(found)} times in {self.sql!r}"
                )
            self.slots.append(found[0])
        select, klass_info = self.compiler.select, self.compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.model_fields = slice(fields[0], fields[-1] + 1)
        self.init_list = [column[0].target.attname for column in select[self.model_fields]]
        # They hold nothing of a row between rows, so one set serves every read.
        self.populators = get_related_populators(klass_info, select, self.db)
        self.annotations = list(self.compiler.annotation_col_map.items())
        # What turns each column's value into Python (SQLite's text dates, times, UUIDs),
        # asked of every field once here rather than at every read.
        columns = [column[0] for column in select[: self.compiler.col_count]]
        if self.compiler.has_composite_fields(columns):
            raise ValueError("A compiled read does not read composite primary keys")
        self.converters = self.compiler.get_converters(columns)

    def run(self, ids: tuple[int, ...]) -> list:
        params = list(self.params)
        for slot, value in zip(self.slots, ids, strict=True):
            params[slot] = value
        with connections[self.db].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        found = []
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        for row in rows:
            obj = self.model.from_db(self.db, self.init_list, row[self.model_fields])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, column in self.annotations:
                setattr(obj, name, row[column])
            found.append(obj)
        return found

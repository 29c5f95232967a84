"""Writing millions of rows quickly, for the benchmark dataset (bench_data.py).

Building a model instance per row and going through bulk_create costs tens of microseconds a
row: hours at national size. Here a row is a plain tuple in a declared field order, ids are
given up front (so rows can point at each other before they are written), and each batch
goes in with one `executemany` on SQLite or one `COPY` on PostgreSQL.

Each table declares its fields; the declaration is checked against the model, so a model
that gains or loses a column stops the seed with a clear message instead of writing rows
that no longer fit.
"""

from contextlib import contextmanager
from datetime import UTC, date, datetime

from django.core.exceptions import ImproperlyConfigured
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction


class Table:
    def __init__(self, model, fields: tuple[str, ...]):
        concrete = {f.attname: f for f in model._meta.concrete_fields}
        missing, unknown = set(concrete) - set(fields), set(fields) - set(concrete)
        if missing or unknown:
            raise ImproperlyConfigured(
                f"The benchmark dataset's {model.__name__} rows no longer match the model "
                f"(missing: {sorted(missing) or 'none'}; unknown: {sorted(unknown) or 'none'}). "
                "Update stepwise/demo/bench_data.py."
            )
        if fields[0] != model._meta.pk.attname:
            raise ImproperlyConfigured(f"{model.__name__} rows must start with the id.")
        self.model = model
        self.fields = fields
        self.name = model._meta.db_table
        self.columns = [concrete[name].column for name in fields]
        self.rows: list[tuple] = []
        self.next_id = 1
        self.written = 0

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def add(self, row: tuple) -> None:
        self.rows.append(row)


class RowWriter:
    """Tables written in the order they were declared (parents before children, where the
    references are not circular: the foreign keys are deferred to the commit anyway)."""

    def __init__(self):
        self.tables: list[Table] = []
        self.loading = False
        self.vendor = connection.vendor
        self._times: dict[int, object] = {}
        self._dates: dict[int, object] = {}

    def table(self, model, fields: tuple[str, ...]) -> Table:
        if self.loading:
            # bulk_load must know every table up front to lift and check its keys.
            raise ImproperlyConfigured(f"Declare {model.__name__} rows before bulk_load starts.")
        table = Table(model, fields)
        self.tables.append(table)
        return table

    def start_ids(self) -> None:
        """Ids follow whatever the tables hold already (nothing else writes a bench database
        while it is seeded)."""
        with connection.cursor() as cursor:
            for table in self.tables:
                # Table names come from the models, never from input.
                name = connection.ops.quote_name(table.name)
                cursor.execute(f"SELECT MAX(id) FROM {name}")  # noqa: S608
                table.next_id = (cursor.fetchone()[0] or 0) + 1

    # Values in the form each backend takes: SQLite gets text, PostgreSQL the objects.
    def at(self, seconds: int):
        """A moment, as whole seconds since the epoch (UTC)."""
        value = self._times.get(seconds)
        if value is None:
            moment = datetime.fromtimestamp(seconds, UTC)
            value = connection.ops.adapt_datetimefield_value(moment)
            self._times[seconds] = value
        return value

    def day(self, value: date):
        ordinal = value.toordinal()
        adapted = self._dates.get(ordinal)
        if adapted is None:
            adapted = connection.ops.adapt_datefield_value(value)
            self._dates[ordinal] = adapted
        return adapted

    def flush(self) -> int:
        """Write every waiting row; returns how many. Call inside a transaction."""
        count = 0
        for table in self.tables:
            if table.rows:
                self._write(table)
                count += len(table.rows)
                table.written += len(table.rows)
                table.rows = []
        return count

    def _write(self, table: Table) -> None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(column) for column in table.columns)
        # Table and column names come from the models, never from input.
        if self.vendor == "postgresql":
            sql = f"COPY {quote(table.name)} ({columns}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in table.rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(table.columns))
            sql = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})"  # noqa: S608
            connection.ensure_connection()
            connection.connection.executemany(sql, table.rows)

    def finish(self) -> None:
        """PostgreSQL's id sequences must move past the ids given here; SQLite's
        AUTOINCREMENT counter follows the largest id written by itself."""
        statements = connection.ops.sequence_reset_sql(
            no_style(), [table.model for table in self.tables]
        )
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


@contextmanager
def bulk_load(writer: RowWriter):
    """Checking each foreign key row by row costs more than writing the rows, so the checks
    run once, over the whole tables, at the end.

    PostgreSQL: one transaction; the written tables' foreign keys are dropped first and added
    back at the end, which checks every row in one pass (a failure rolls everything back).
    SQLite: foreign keys and fsync off for the connection, then `PRAGMA foreign_key_check`.
    Inside a caller's transaction on SQLite (tests) nothing changes: rows are checked as
    they are written.
    """
    writer.loading = True
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                # The commit need not wait for gigabytes of WAL to reach the disk.
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            constraints = _drop_foreign_keys(writer)
            yield
            _add_foreign_keys(writer, constraints)
    elif connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys=OFF")
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-400000")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.execute("PRAGMA cache_size=-2000")
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _check_foreign_keys(writer)
    else:
        yield


def _drop_foreign_keys(writer) -> list[tuple[str, str, str]]:
    names = [table.name for table in writer.tables]
    with connection.cursor() as cursor:
        # Checks already queued in this transaction must not hold the tables.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [names],
        )
        constraints = cursor.fetchall()
        for table, name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return constraints


def _add_foreign_keys(writer, constraints) -> None:
    """Each constraint is checked by one join over the whole table: planned from fresh
    statistics (without them the planner takes the new tables for empty and joins row by
    row), with room to hash in memory."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        for table in writer.tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table.name)}")
        for table, name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _check_foreign_keys(writer) -> None:
    with connection.cursor() as cursor:
        for table in writer.tables:
            cursor.execute(f"PRAGMA foreign_key_check({connection.ops.quote_name(table.name)})")
            broken = cursor.fetchmany(5)
            if broken:
                raise IntegrityError(f"Rows with broken foreign keys in {table.name}: {broken}")

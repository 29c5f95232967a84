"""Writing millions of rows quickly, for the benchmark dataset (bench_data.py).

Building a model instance per row and going through bulk_create costs tens of microseconds a
row: hours at national size. Here a row is a plain tuple in a declared field order, ids are
given up front (so rows can point at each other before they are written), and each batch
goes in with one `executemany` on SQLite or one `COPY` on PostgreSQL.

Each table declares its fields; the declaration is checked against the model, so a model
that gains or loses a column stops the seed with a clear message instead of writing rows
that no longer fit.
"""

from datetime import UTC, date, datetime

from django.core.exceptions import ImproperlyConfigured
from django.core.management.color import no_style
from django.db import connection


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
        self.vendor = connection.vendor
        self._times: dict[int, object] = {}
        self._dates: dict[int, object] = {}

    def table(self, model, fields: tuple[str, ...]) -> Table:
        table = Table(model, fields)
        self.tables.append(table)
        return table

    def start_ids(self) -> None:
        """Ids follow whatever the tables hold already (nothing else writes a bench database
        while it is seeded)."""
        with connection.cursor() as cursor:
            for table in self.tables:
                cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table.name)}")
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
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
                    for row in table.rows:
                        copy.write_row(row)
        else:
            marks = ", ".join("?" * len(table.columns))
            connection.ensure_connection()
            connection.connection.executemany(
                f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})", table.rows
            )

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

"""How many rows each table holds, in one query: compared before and after a refused
submission, a difference is state left behind by something that said no."""

from django.apps import apps
from django.db import connection

# Rows written by looking, not by the submission: sessions, sign-in throttle counters, the
# access log (a refused POST to a learner's page is still a view of it), pages opened.
NOT_STATE = {
    "django_session",
    "core_attemptcount",
    "core_accessrecord",
    "training_pageopening",
}


def _tables() -> list[str]:
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.managed and model._meta.db_table not in NOT_STATE
    )


def row_counts() -> dict[str, int]:
    tables = _tables()
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT {i}, COUNT(*) FROM {quote(table)}" for i, table in enumerate(tables)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = dict(cursor.fetchall())
    return {table: counts[i] for i, table in enumerate(tables)}


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, str]:
    return {
        table: f"{before[table]} → {after[table]}"
        for table in before
        if before[table] != after[table]
    }

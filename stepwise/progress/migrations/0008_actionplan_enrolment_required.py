"""Every action plan has its enrolment (filled in by 0007). A migration of its own: on
PostgreSQL a table cannot be altered in the transaction that has just updated its rows'
deferred foreign keys."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0007_actionplan_enrolment"),
    ]

    operations = [
        migrations.AlterField(
            model_name="actionplan",
            name="enrolment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="progress.enrolment",
            ),
        ),
    ]

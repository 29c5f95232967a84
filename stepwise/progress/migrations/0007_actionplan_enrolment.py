"""Each action plan names its enrolment (issue 13), filled in from its record's."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def from_records(apps, schema_editor):
    ActionPlan = apps.get_model("progress", "ActionPlan")
    ProficiencyRecord = apps.get_model("progress", "ProficiencyRecord")
    ActionPlan.objects.update(
        enrolment_id=Subquery(
            ProficiencyRecord.objects.filter(pk=OuterRef("record_id")).values("enrolment_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0006_supernumerary_and_rejection_summaries"),
    ]

    operations = [
        migrations.AddField(
            model_name="actionplan",
            name="enrolment",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="progress.enrolment",
            ),
        ),
        migrations.RunPython(from_records, migrations.RunPython.noop),
    ]

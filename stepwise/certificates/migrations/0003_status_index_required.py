# Separate from 0002 so that PostgreSQL alters the table in a transaction of its own, after
# the rows were filled in.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("certificates", "0002_credential_status_and_recipient")]

    operations = [
        migrations.AlterField(
            model_name="certificate",
            name="status_index",
            field=models.PositiveIntegerField(),
        ),
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.UniqueConstraint(
                fields=("status_list", "status_index"), name="certificate_status_entry_unique"
            ),
        ),
    ]

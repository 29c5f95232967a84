"""Digital credentials: each certificate gets a place in its Trust's status list and the
learner's email address salted and hashed, filled in here for certificates already issued."""

import hashlib
import secrets

from django.db import migrations, models

# As status.LIST_SIZE: the W3C minimum of 16 KB of bits.
LIST_SIZE = 131_072


def fill(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    taken: set[int] = set()
    for certificate in Certificate.objects.select_related("enrolment__learner").order_by("pk"):
        index = secrets.randbelow(LIST_SIZE)
        while index in taken:
            index = secrets.randbelow(LIST_SIZE)
        taken.add(index)
        salt = secrets.token_hex(16)
        email = certificate.enrolment.learner.email.strip().lower()
        digest = hashlib.sha256((email + salt).encode("utf-8")).hexdigest()
        Certificate.objects.filter(pk=certificate.pk).update(
            status_list=1,
            status_index=index,
            recipient_salt=salt,
            recipient_hash=f"sha256${digest}",
        )


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="status_list",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="certificate",
            name="status_index",
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="certificate",
            name="recipient_salt",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="certificate",
            name="recipient_hash",
            field=models.CharField(default="", max_length=80),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

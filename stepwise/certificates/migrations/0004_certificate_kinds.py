"""Certificates of more than one kind (docs/adr/0008): each certificate names its kind, its
holder and its issuing Trust itself, and says what it certifies in words of its own; the
enrolment becomes one kind's link. Certificates already issued are Step certificates: their
holder, issuer and description are filled in from their enrolment here."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FRAMEWORK_SIGN_OFF = "framework_sign_off"


def fill(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    certificates = Certificate.objects.select_related("enrolment__version__framework")
    changed = []
    for certificate in certificates.order_by("pk").iterator(chunk_size=500):
        enrolment = certificate.enrolment
        version = enrolment.version
        certificate.holder_id = enrolment.learner_id
        certificate.issuer_id = enrolment.trust_id
        # As the Step kind describes a framework version (framework_sign_off.description_of),
        # which is what these certificates' credentials said before.
        certificate.description = (
            version.framework.description
            or f"The {version.framework.title} proficiency framework, version {version.label}."
        )
        changed.append(certificate)
        if len(changed) == 500:
            Certificate.objects.bulk_update(changed, ["holder", "issuer", "description"])
            changed = []
    Certificate.objects.bulk_update(changed, ["holder", "issuer", "description"])


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0003_status_index_required"),
        ("organisations", "0001_initial"),
        ("progress", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(
            model_name="certificate", old_name="framework_title", new_name="title"
        ),
        migrations.AddField(
            model_name="certificate",
            name="kind",
            field=models.CharField(default=FRAMEWORK_SIGN_OFF, max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="certificate",
            name="holder",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="certificates",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="certificate",
            name="issuer",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="certificates_issued",
                to="organisations.organisation",
            ),
        ),
        migrations.AddField(
            model_name="certificate",
            name="description",
            field=models.TextField(blank=True, default=""),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="certificate",
            name="version_label",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="signer_name",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="signer_registration",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="enrolment",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="certificate",
                to="progress.enrolment",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

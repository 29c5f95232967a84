"""Passports a learner brought from another Trust or installation, and the confirmed
proficiencies they carry. Nothing here is edited or deleted: an educator accepting an
attainment writes a Decision and a RecordEvent on the new enrolment instead."""

from django.conf import settings
from django.db import models
from django.utils import timezone

PERSON = settings.AUTH_USER_MODEL


class ImportedPassport(models.Model):
    learner = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="passports")
    issuer = models.URLField(max_length=300, help_text="The passport's iss claim.")
    issuer_name = models.CharField(max_length=200)
    imported_by = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    trust = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The Trust the learner was at when it was imported.",
    )
    imported_at = models.DateTimeField(default=timezone.now)
    jti = models.CharField(max_length=100)
    token = models.TextField(help_text="The signed passport exactly as uploaded.")
    payload = models.JSONField()

    class Meta:
        ordering = ["-imported_at", "pk"]


class PriorAttainment(models.Model):
    """One confirmed proficiency from an imported passport, as the passport states it."""

    passport = models.ForeignKey(
        ImportedPassport, on_delete=models.PROTECT, related_name="attainments"
    )
    learner = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    issuer_name = models.CharField(max_length=200)
    framework_slug = models.CharField(max_length=100)
    framework_title = models.CharField(max_length=200)
    version_label = models.CharField(max_length=20)
    proficiency_uuid = models.UUIDField()
    code = models.CharField(max_length=20)
    statement = models.TextField()
    confirmed_by = models.CharField(max_length=150)
    registration_number = models.CharField(max_length=30)
    confirmed_at = models.DateTimeField()
    trust_name = models.CharField(max_length=200)

    class Meta:
        ordering = ["-confirmed_at", "pk"]
        indexes = [models.Index(fields=["learner", "proficiency_uuid"])]

    def __str__(self) -> str:
        return f"{self.code} from {self.issuer_name}"

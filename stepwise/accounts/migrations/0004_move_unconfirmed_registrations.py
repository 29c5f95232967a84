"""Self-registration used to make an account at once (with the chosen password) and let a
later registration with the same address overwrite it. Now a registration waits in
SelfRegistration until its address is confirmed. This moves the old kind across:

- an account made by self-registration and never confirmed (no membership, no invitation,
  never signed in) becomes a waiting SelfRegistration with the same details, password hash
  and link (the token hash is kept, so the link already in the person's mailbox still works),
  and the empty account goes;
- an invited account that was never confirmed cannot have set a password itself: a password
  on it came from self-registration over the invitation, so it is made unusable. The invited
  person sets theirs through the invitation link, and staff can send that link again.
"""

from django.contrib.auth.hashers import is_password_usable, make_password
from django.db import IntegrityError, migrations, transaction
from django.db.models.deletion import ProtectedError

INVITATION = "invitation"
EMAIL_VERIFICATION = "email_verification"


def move_unconfirmed_registrations(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    AccessLink = apps.get_model("accounts", "AccessLink")
    SelfRegistration = apps.get_model("accounts", "SelfRegistration")
    Membership = apps.get_model("organisations", "Membership")

    never_confirmed = User.objects.filter(email_verified_at__isnull=True)
    invited = set(AccessLink.objects.filter(purpose=INVITATION).values_list("person_id", flat=True))
    members = set(Membership.objects.values_list("person_id", flat=True))
    for person in never_confirmed.iterator():
        if not is_password_usable(person.password):
            continue
        if person.pk in invited:
            User.objects.filter(pk=person.pk).update(password=make_password(None))
            continue
        if person.pk in members or person.is_staff or person.is_superuser:
            continue
        if person.last_login is not None:
            continue
        link = (
            AccessLink.objects.filter(
                person=person, purpose=EMAIL_VERIFICATION, trust__isnull=False
            )
            .order_by("-created_at")
            .first()
        )
        if link is None:
            continue
        try:
            with transaction.atomic():
                SelfRegistration.objects.create(
                    email=person.email,
                    full_name=person.full_name,
                    job_title=person.job_title,
                    registration_body=person.registration_body,
                    registration_number=person.registration_number,
                    password=person.password,
                    trust_id=link.trust_id,
                    unit_id=link.unit_id,
                    token_hash=link.token_hash,
                    created_at=link.created_at,
                    expires_at=link.expires_at,
                )
                AccessLink.objects.filter(person=person).delete()
                person.delete()
        except (ProtectedError, IntegrityError):
            # Something else refers to the account: it is more than an unconfirmed
            # registration, so leave it as it is.
            continue


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_selfregistration"),
        ("organisations", "0002_peopleupload"),
    ]

    operations = [
        migrations.RunPython(move_unconfirmed_registrations, migrations.RunPython.noop),
    ]

"""What validating a people file needs to know, read in a few queries whatever its size."""

from collections.abc import Iterable

from django.contrib.auth.hashers import is_password_usable
from django.db.models import OuterRef, Subquery

from stepwise.accounts.models import User, normalise_email
from stepwise.organisations.models import Membership, Organisation
from stepwise.organisations.services import OPEN_STATES
from stepwise.organisations.upload.validation import KnownPerson, TrustDirectory

# Django's most conservative database (SQLite) allows 999 parameters in a query.
LOOKUP_CHUNK = 900


def trust_directory(*, trust: Organisation, emails: Iterable[str]) -> TrustDirectory:
    """The Trust's units, and everyone named in the file who already has an account."""
    units = trust_units(trust)
    wanted = sorted({normalise_email(email) for email in emails} - {""})
    open_state = Membership.objects.filter(
        person=OuterRef("pk"), trust=trust, state__in=OPEN_STATES
    ).values("state")[:1]
    people: dict[str, KnownPerson] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        found = (
            User.objects.filter(email__in=wanted[start : start + LOOKUP_CHUNK])
            .annotate(open_state=Subquery(open_state))
            .values_list("pk", "email", "full_name", "password", "open_state")
        )
        for pk, email, full_name, password, state in found:
            people[email] = KnownPerson(
                pk=pk,
                email=email,
                full_name=full_name,
                has_password=is_password_usable(password),
                open_state=state or "",
            )
    return TrustDirectory(trust=trust, units=units, people=people)


def trust_units(trust: Organisation) -> list[Organisation]:
    return list(trust.children.filter(kind=Organisation.Kind.UNIT).order_by("name"))

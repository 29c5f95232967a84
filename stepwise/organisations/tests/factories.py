from datetime import date, timedelta

import factory

from stepwise.organisations.models import (
    Cohort,
    Membership,
    Organisation,
    new_registration_code,
)


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.NETWORK
    name = factory.Sequence(lambda n: f"Critical Care Network {n}")
    code = factory.Sequence(lambda n: f"NET{n}")


class TrustFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.TRUST
    name = factory.Sequence(lambda n: f"Test Hospitals {n} NHS Trust")
    code = factory.Sequence(lambda n: f"RT{n}")
    parent = factory.SubFactory(NetworkFactory)
    registration_code = factory.LazyFunction(new_registration_code)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.UNIT
    name = factory.Sequence(lambda n: f"Intensive Care Unit {n}")
    code = factory.Sequence(lambda n: f"U{n}")
    parent = factory.SubFactory(TrustFactory)


class HeiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.HEI
    name = factory.Sequence(lambda n: f"University {n}")
    code = factory.Sequence(lambda n: f"HEI{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory("stepwise.accounts.tests.factories.PersonFactory")
    trust = factory.SubFactory(TrustFactory)
    state = Membership.State.ACTIVE


class CohortFactory(factory.django.DjangoModelFactory):
    """`CohortFactory(trusts=[trust, ...])` puts those Trusts in the cohort."""

    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Cohort {n}")
    starts_on = factory.Sequence(lambda n: date(2026, 1, 5) + timedelta(weeks=12 * n))

    @factory.post_generation
    def trusts(self, create, extracted, **kwargs):
        if create and extracted:
            self.trusts.set(extracted)

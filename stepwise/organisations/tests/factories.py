import factory

from stepwise.organisations.models import Membership, Organisation, new_registration_code


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

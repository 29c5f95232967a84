"""States the two-Trust world (tests/security/world.py) does not hold, added to it for the
fuzzer only, so the forms that appear only then are fuzzed too: a self-registration waiting
for its email and another for the Trust's approval, a draft feedback form, frameworks with no
draft and one in review, an imported passport, proficiencies achieved but not yet asked
about, every proficiency confirmed, a sign-off request waiting, a newer version, a learner who
joined another Trust, and a visitor between the password and the security code. Made through
the real services, like the world; each returned page is opened by its person and its forms
are fuzzed (every submission is rolled back, so every example starts from this state)."""

import re
from dataclasses import dataclass

from django.core import mail
from django.test import TestCase
from django.urls import reverse

from stepwise.accounts.services import PersonDetails, self_register
from stepwise.accounts.tests.factories import PersonFactory
from stepwise.certificates.tests.conftest import confirm_all, sign_off
from stepwise.feedback.building import form_create, question_add
from stepwise.feedback.models import Question
from stepwise.frameworks.models import FrameworkVersion, TrustFramework
from stepwise.frameworks.services import version_submit_for_review
from stepwise.frameworks.tests.factories import FrameworkFactory, draft_version, published_version
from stepwise.organisations.joining import email_confirm
from stepwise.organisations.models import Membership, Organisation
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.passports.export import signed_passport
from stepwise.passports.services import passport_import
from stepwise.passports.verify import check_passport
from stepwise.progress.services import enrolment_create, sign_off_request
from stepwise.progress.tests.conftest import build_version
from stepwise.progress.tests.factories import achieve, records
from tests.security.world import World

# A persona of the fuzzer's own: the assessor, signed in with their password only, so asked
# for the security code of two-step sign-in.
BETWEEN_STEPS = "assessor_between_steps"
PASSWORD = "a long enough passphrase 2026"


@dataclass
class Page:
    persona: str
    path: str


def add_states(world: World) -> list[Page]:
    """Adds the states to the world's database; returns the pages that show their forms."""
    people = world.people
    trust = Organisation.objects.get(pk=world.values["trust_id"])
    other = people["other_trust_staff"].memberships.get(state=Membership.State.ACTIVE)
    other_trust, other_unit = other.trust, other.unit
    unit = trust.children.order_by("pk").first()
    other_learner = people["other_learner"]
    assessor, educator, author = people["assessor"], people["educator"], people["author"]
    other_staff = people["other_trust_staff"]
    step_1, step_2, step_3 = _version("step-1"), _version("step-2"), _version("step-3")

    def enrol(person, version, at=trust, by=educator, checker=assessor):
        return enrolment_create(
            learner=person, version=version, trust=at, educator=by, assessors=[checker], by=by
        )

    def newcomer():
        return MembershipFactory(trust=trust, unit=unit, is_learner=True).person

    pages = [Page(BETWEEN_STEPS, reverse("accounts:mfa_verify"))]

    # Someone registered through Northshire's link, not yet confirming their address; and
    # someone who confirmed theirs at Riverside, which approves each registration.
    pages.append(
        Page("anonymous", reverse("organisations:confirm_email", args=[_register(trust, unit)]))
    )
    Organisation.objects.filter(pk=other_trust.pk).update(registration_requires_approval=True)
    waiting = email_confirm(token=_register(other_trust, other_unit), password=PASSWORD)
    # As it was, so the world's other pages are unchanged.
    Organisation.objects.filter(pk=other_trust.pk).update(registration_requires_approval=False)
    pages.append(
        Page("other_trust_staff", reverse("organisations:approval_decide", args=[waiting.pk]))
    )

    # A feedback form the team is still writing.
    admin = people["platform_admin"]
    draft_form = form_create(by=admin, title="Night shift check-in", anonymous=False)
    question = question_add(
        version=draft_form.versions.get(), by=admin, kind=Question.Kind.SHORT_TEXT, text="Role"
    )
    pages += [
        Page("platform_admin", reverse("feedback:team_question_new", args=[draft_form.pk])),
        Page(
            "platform_admin",
            reverse("feedback:team_question", args=[draft_form.pk, question.pk]),
        ),
    ]

    # The author's framework with only a published version, and another in review.
    published = FrameworkFactory(slug="published-framework", created_by=author)
    published_version(framework=published, by=author)
    in_review = draft_version(
        framework=FrameworkFactory(slug="framework-in-review", created_by=author), by=author
    )
    version_submit_for_review(version=in_review, by=author)
    pages += [
        Page("author", reverse("frameworks:version_new", args=[published.slug])),
        Page("author", reverse("frameworks:import", args=[published.slug])),
        Page(  # the platform's administrators review every framework
            "platform_admin",
            reverse("frameworks:return", args=[in_review.framework.slug, in_review.pk]),
        ),
    ]

    # The other learner: two proficiencies of Step 1 achieved and not yet sent to anyone;
    # all of Step 2 confirmed, so they may ask for sign-off.
    asking = enrol(other_learner, step_1)
    achieve(asking, other_learner, records(asking)[:2])
    complete = enrol(other_learner, step_2)
    confirm_all(complete, other_learner, assessor)
    pages += [
        Page("other_learner", reverse("progress:request_confirmation", args=[asking.pk])),
        Page("other_learner", reverse("progress:sign_off_request", args=[complete.pk])),
    ]

    # A learner waiting for their educator to sign them off.
    finishing_learner = newcomer()
    finishing = enrol(finishing_learner, step_2)
    confirm_all(finishing, finishing_learner, assessor)
    sign_off_request(enrolment=finishing, by=finishing_learner, declaration_agreed=True)
    pages.append(Page("educator", reverse("progress:sign_off", args=[finishing.pk])))

    # Step 3 has a newer version than the one a learner is enrolled on.
    behind = enrol(newcomer(), step_3)
    build_version(
        framework=step_3.framework,
        label="2.0",
        sections=1,
        per_section=2,
        optional_per_section=0,
        minimum_optional=0,
    )
    pages.append(Page("educator", reverse("progress:enrolment_move", args=[behind.pk])))

    # A Northshire learner who has joined Riverside too, whose Step 1 nobody proposed moving.
    joiner = newcomer()
    joiners = enrol(joiner, step_1)
    joined = MembershipFactory(person=joiner, trust=other_trust, unit=other_unit, is_learner=True)
    pages.append(
        Page("other_trust_staff", reverse("progress:move_trust", args=[joined.pk, joiners.pk]))
    )

    # A learner signed off at Northshire who imported their passport, now enrolled on the same
    # framework at Riverside: its educator is offered the prior attainment.
    holder = newcomer()
    sign_off(enrol(holder, step_2), holder, assessor, educator, make_pdf=False)
    verified = check_passport(signed_passport(holder), email=holder.email)
    passport_import(verified=verified, learner=holder, trust=trust, by=holder)
    MembershipFactory(person=holder, trust=other_trust, unit=other_unit, is_learner=True)
    TrustFramework.objects.get_or_create(trust=other_trust, framework=step_2.framework)
    again = enrol(holder, step_2, at=other_trust, by=other_staff, checker=other_staff)
    pages.append(Page("other_trust_staff", reverse("passports:prior_attainment", args=[again.pk])))

    world.values.update(
        waiting_membership_id=waiting.pk,
        draft_feedback_id=draft_form.pk,
        in_review_version_id=in_review.pk,
        asking_enrolment_id=asking.pk,
        finishing_enrolment_id=finishing.pk,
        joiners_enrolment_id=joiners.pk,
        passport_enrolment_id=again.pk,
    )
    return pages


def _version(slug: str) -> FrameworkVersion:
    return FrameworkVersion.objects.get(framework__slug=slug)


def _register(trust: Organisation, unit: Organisation) -> str:
    """A self-registration at the Trust; the token its confirmation email links with."""
    person = PersonFactory.build()
    with TestCase.captureOnCommitCallbacks(execute=True):  # the email is sent
        self_register(
            details=PersonDetails(full_name=person.full_name, email=person.email),
            password=PASSWORD,
            trust=trust,
            unit=unit,
        )
    link = re.search(r"/confirm-email/([^/\s]+)/", mail.outbox[-1].body)
    return link.group(1)

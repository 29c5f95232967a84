"""One two-Trust world for the tests that visit every URL: a person in each role, and at
least one of everything a URL can name (an enrolment with evidence, a waiting request, an
action plan, a certificate, a draft framework, a proposed move, an upload...), made through
the real services so each object is in the state people meet it in."""

from dataclasses import dataclass, field

from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp_webauthn.models import WebAuthnCredential

from stepwise.accounts.models import SignedInSession, User
from stepwise.accounts.services import invitation_link_issue, sso_sign_in
from stepwise.accounts.single_sign_on import Identity
from stepwise.accounts.tests.factories import PersonFactory
from stepwise.certificates.tests.conftest import sign_off
from stepwise.feedback.models import PageFeedback
from stepwise.feedback.tests.factories import asked_form
from stepwise.frameworks.models import FrameworkCollaborator, TrustFramework
from stepwise.frameworks.services.people import collaborator_add
from stepwise.frameworks.tests.factories import FrameworkFactory, draft_version
from stepwise.organisations.models import Membership
from stepwise.organisations.tests.factories import (
    MembershipFactory,
    NetworkFactory,
    TrustFactory,
    UnitFactory,
)
from stepwise.organisations.upload.models import PeopleUpload
from stepwise.privacy.services import subject_access_request
from stepwise.progress.models import Action
from stepwise.progress.services import confirmation_request, enrolment_create, evidence_add
from stepwise.progress.services.moving import enrolment_move_propose
from stepwise.progress.tests.conftest import build_version
from stepwise.progress.tests.factories import REJECT, achieve, decide, records
from stepwise.reports.services import report_export_request
from stepwise.training.tests.conftest import make_package

# The people who visit every URL, in the order of the matrix's columns (rows.py).
PERSONAS = (
    "anonymous",
    "learner",
    "other_learner",
    "assessor",
    "educator",
    "trust_admin",
    "author",
    "platform_admin",
    "other_trust_staff",
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@dataclass
class World:
    people: dict[str, User | None]
    # A value for each URL parameter, by name; rows.py may name another for one URL.
    values: dict[str, object] = field(default_factory=dict)


def build_world() -> World:
    network = NetworkFactory(name="North Critical Care Network")
    trust = TrustFactory(name="Northshire Teaching Hospitals NHS Foundation Trust", parent=network)
    unit = UnitFactory(parent=trust, name="General Intensive Care Unit")
    UnitFactory(parent=trust, name="Cardiac Intensive Care Unit")
    other = TrustFactory(name="Riverside University Hospitals NHS Trust", parent=network)
    other_unit = UnitFactory(parent=other, name="Adult Critical Care Unit")

    def member(trust_, unit_=None, **roles):
        return MembershipFactory(trust=trust_, unit=unit_, **roles)

    learner_membership = member(trust, unit, is_learner=True)
    learner = learner_membership.person
    other_learner = member(trust, unit, is_learner=True).person
    assessor = member(trust, unit, is_assessor=True).person
    educator = member(trust, is_educator=True, is_assessor=True).person
    trust_admin = member(trust, is_trust_admin=True).person
    author = PersonFactory(is_framework_author=True)
    platform_admin = PersonFactory(is_staff=True, is_superuser=True)
    other_staff = member(
        other, other_unit, is_trust_admin=True, is_educator=True, is_assessor=True
    ).person

    # Step 1, offered by both Trusts: the learner is part-way, with evidence, a rejected
    # proficiency (an action plan) and another waiting for the assessor.
    step_1 = build_version(slug="step-1")
    TrustFramework.objects.create(trust=trust, framework=step_1.framework)
    TrustFramework.objects.create(trust=other, framework=step_1.framework)
    enrolment = enrolment_create(
        learner=learner,
        version=step_1,
        trust=trust,
        educator=educator,
        assessors=[assessor],
        by=educator,
    )
    first, second, third = records(enrolment)[:3]
    achieve(enrolment, learner, [first, second])
    rejected = confirmation_request(
        enrolment=enrolment, by=learner, record_ids=[first.pk], assessor=assessor
    )
    decide(rejected, assessor, [(first, REJECT)])
    waiting = confirmation_request(
        enrolment=enrolment, by=learner, record_ids=[second.pk], assessor=assessor
    )
    evidence = evidence_add(
        record=third, by=learner, upload=SimpleUploadedFile("photo.png", PNG, "image/png")
    )
    action = Action.objects.filter(plan__record=first).first()

    # Step 2, signed off: a certificate.
    step_2 = build_version(
        slug="step-2", sections=1, per_section=2, optional_per_section=0, minimum_optional=0
    )
    TrustFramework.objects.create(trust=trust, framework=step_2.framework)
    finished = enrolment_create(
        learner=learner,
        version=step_2,
        trust=trust,
        educator=educator,
        assessors=[assessor],
        by=educator,
    )
    certificate = sign_off(finished, learner, assessor, educator, make_pdf=True)

    # Step 3, which Northshire's learners may enrol on themselves; Step 4, offered by nobody.
    step_3 = build_version(
        slug="step-3", sections=1, per_section=1, optional_per_section=0, minimum_optional=0
    )
    offer = TrustFramework.objects.create(
        trust=trust, framework=step_3.framework, learners_may_enrol_themselves=True
    )
    step_4 = build_version(
        slug="step-4", sections=1, per_section=1, optional_per_section=0, minimum_optional=0
    )

    # A learner of Northshire who has joined Riverside, whose educator there proposes moving
    # their Step 1 enrolment.
    mover_membership = member(trust, unit, is_learner=True)
    mover = mover_membership.person
    moving = enrolment_create(
        learner=mover,
        version=step_1,
        trust=trust,
        educator=educator,
        assessors=[assessor],
        by=educator,
    )
    joined = MembershipFactory(person=mover, trust=other, unit=other_unit, is_learner=True)
    proposal = enrolment_move_propose(
        enrolment=moving,
        trust=other,
        educator=other_staff,
        assessors=[other_staff],
        by=other_staff,
    )

    # A draft framework of the author's, with a collaborator.
    draft_framework = FrameworkFactory(slug="draft-framework", created_by=author)
    draft = draft_version(framework=draft_framework, by=author)
    section = draft.sections.order_by("position").first()
    proficiency = draft.proficiencies.order_by("position").first()
    collaborator = collaborator_add(
        framework=draft_framework,
        person=PersonFactory(is_framework_author=True),
        role=FrameworkCollaborator.Role.REVIEWER,
        by=author,
    )

    # Someone Northshire invited by email; and Riverside's staff member, invited to join
    # Northshire as a learner, which gives them nothing there until they accept.
    newcomer = PersonFactory()
    invited = MembershipFactory(
        person=other_staff,
        trust=trust,
        unit=unit,
        is_learner=True,
        state=Membership.State.INVITED,
        created_by=trust_admin,
    )
    _, invitation_token = invitation_link_issue(
        person=newcomer, by=trust_admin, trust=trust, unit=unit
    )
    # The learner's account is linked to a single sign-on identity (NHS CIS2, say).
    sso_sign_in(
        identity=Identity(
            issuer="https://cis2.example",
            subject="learner-subject",
            email=learner.email,
            email_verified=True,
            name=learner.full_name,
            multi_factor=True,
        ),
        provider="NHS Care Identity",
    )
    feedback = asked_form(learner, title="Pilot check-in")
    training = make_package(author).versions.get(state="published")
    page_feedback = PageFeedback.objects.create(page="/", helpful=True, text="Quick to use")
    # The educator's download of a list, made by the (immediate) worker.
    with TestCase.captureOnCommitCallbacks(execute=True):
        export = report_export_request(
            membership=Membership.objects.get(person=educator, trust=trust),
            by=educator,
            show="in_progress",
            file_format="csv",
            params="show=in_progress",
            rows=1,
        )
    # A subject access export the Trust admin asked for, of the learner's data.
    with TestCase.captureOnCommitCallbacks(execute=True):
        data_export = subject_access_request(person=learner, by=trust_admin, trust=trust)
    # The Trust admin's passkey, beside their app: only they may remove it.
    passkey = WebAuthnCredential.objects.create(
        user=trust_admin, name="Passkey", credential_id=b"trust-admin-passkey", public_key=b"-"
    )
    upload = PeopleUpload.objects.create(
        trust=trust, uploaded_by=trust_admin, file_name="people.csv", people=1, rows=[]
    )

    people = {
        "anonymous": None,
        "learner": learner,
        "other_learner": other_learner,
        "assessor": assessor,
        "educator": educator,
        "trust_admin": trust_admin,
        "author": author,
        "platform_admin": platform_admin,
        "other_trust_staff": other_staff,
    }
    values = {
        # Accounts
        "uidb64": urlsafe_base64_encode(force_bytes(learner.pk)),
        "token": default_token_generator.make_token(learner),
        "invitation_token": invitation_token,
        "link_id": learner.sso_links.get().pk,
        # The learner signed in on another device earlier.
        "signed_in_row_id": SignedInSession.objects.create(
            person=learner, key_digest="0" * 64, sealed_key="", device="Safari on iPad"
        ).pk,
        "passkey_id": passkey.pk,
        # Organisations
        "membership_id": learner_membership.pk,
        "invited_membership_id": invited.pk,
        "joined_membership_id": joined.pk,
        "upload_id": upload.pk,
        "code": trust.registration_code,
        "trust_id": trust.pk,
        "network_id": network.pk,
        # Frameworks
        "slug": draft_framework.slug,
        "offered_slug": step_1.framework.slug,
        "feedback_slug": feedback.slug,
        "unoffered_slug": step_4.framework.slug,
        "version_id": draft.pk,
        "section_id": section.pk,
        "proficiency_id": proficiency.pk,
        "collaborator_id": collaborator.pk,
        "document_uuid": step_1.document_uuid,
        "fmt": "csv",
        "file_format": "csv",
        "workbook_format": "xlsx",
        # Reports
        "export_id": export.pk,
        # Data protection
        "data_export_id": data_export.pk,
        # Feedback
        "form_id": feedback.pk,
        "question_id": feedback.versions.get().questions.order_by("position").first().pk,
        "action": "up",
        "feedback_id": page_feedback.pk,
        # Training
        "training_slug": training.package.slug,
        "training_version_id": training.pk,
        "page_id": training.pages.order_by("pk").first().pk,
        # Progress
        "enrolment_id": enrolment.pk,
        "moving_enrolment_id": moving.pk,
        "enrolment_section_id": first.proficiency.section_id,
        "record_id": first.pk,
        "evidence_id": evidence.pk,
        "offer_id": offer.pk,
        "action_id": action.pk,
        "request_id": waiting.pk,
        "proposal_id": proposal.pk,
        # Certificates
        "serial": certificate.serial,
        "list_number": certificate.status_list,
        # The platform's administration
        "content_type_id": ContentType.objects.get_for_model(User).pk,
        "object_id": learner.pk,
        "id": learner.pk,
        "app_label": "accounts",
        "url": "no-such-page/",
    }
    return World(people=people, values=values)

"""The whole proficiency journey on the sample Step 1, in three people's browsers.

An educator enrols a learner; the learner assesses themselves a section at a time, adds
evidence and asks their assessor to confirm; the assessor rejects two proficiencies with
action plans and confirms the rest; the learner does the actions and asks again; once all is
confirmed the learner asks for sign-off, the educator signs off, and the learner downloads
the certificate, which is read back to check what it says. Every page is checked with axe
(by `Web`), and the number of forms sent is kept small: a learner should not have to press
Save a hundred times to complete Step 1.
"""

import re
import struct
import zlib
from datetime import timedelta

import pytest
from django.utils import timezone
from fpdf import FPDF
from pypdf import PdfReader

from stepwise.certificates.models import Certificate
from stepwise.core.formatting import date
from stepwise.frameworks.models import Proficiency
from stepwise.frameworks.samples import load_samples
from stepwise.frameworks.services import trust_framework_offer
from stepwise.progress.models import Enrolment
from stepwise.progress.states import EnrolmentState, RecordState

pytestmark = pytest.mark.browser

# Enrol 1, answers 1, evidence 1, first request 1, review 1, action plans 1, second request
# 1, review 1, sign-off request 1, sign-off 1: 10 (31 before the pages were made for a
# tablet). Some slack, no more.
MOST_FORMS_SENT = 12
# The learner's share (signed in already): forms sent, and pages loaded in their browser.
LEARNER_MOST_FORMS_SENT = 6
LEARNER_MOST_PAGES = 18
# The assessor's: two reviews, each one form (the 113 others confirmed with one button). The
# educator's: enrolling and signing off (at most 4, the tablet brief says).
ASSESSOR_MOST_FORMS_SENT = 2
ASSESSOR_MOST_PAGES = 7
EDUCATOR_MOST_FORMS_SENT = 2
EDUCATOR_MOST_PAGES = 6
# Two proficiencies of the same section, so answering them again is one form.
REJECTED = ("1.2", "1.3")
# The optional proficiencies the learner takes: the sample's minimum is 3.
OPTIONAL_TAKEN = ("2.3", "3.7", "4.8")


# --- Things the test makes ---------------------------------------------------------------------


def a_pdf(path):
    """A real one-page PDF, as a learner's scanned document would be."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Bed space safety checklist: completed on three shifts")
    pdf.output(str(path))
    return path


def a_png(path, width=40, height=24):
    """A real PNG: a photo of a signed checklist, in miniature (NHS blue rows)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes([0, 94, 184]) * width  # filter byte, then RGB pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )
    return path


class FormsSent:
    """Counts the forms people send: every POST that loads a page, in every browser."""

    def __init__(self):
        self.sent: list[str] = []
        self.by: dict[str, list[str]] = {}

    def watch(self, web, who: str = ""):
        web.page.on("request", lambda request: self._seen(request, who))
        # The NHS font comes from assets.nhs.uk, which this machine cannot reach: refuse it at
        # once, or each page waits seconds for the name lookup to fail before it has loaded.
        web.page.route("https://assets.nhs.uk/**", lambda route: route.abort())
        return web

    def _seen(self, request, who):
        # Saves sent by a page's script (resource type "fetch") are not forms sent.
        if request.method == "POST" and request.resource_type == "document":
            self.sent.append(request.url)
            self.by.setdefault(who, []).append(request.url)

    def __len__(self):
        return len(self.sent)


# --- What people do on the pages ---------------------------------------------------------------


def enrol(web, *, learner, assessor, due_on):
    web.follow("Enrol learners", within="header")
    assert web.heading() == "Enrol learners"
    web.page.get_by_role("group", name="Learners to enrol", exact=True).get_by_label(
        learner.full_name, exact=True
    ).check()
    due = web.page.get_by_role("group", name="Due date", exact=True)
    due.get_by_label("Day").fill(str(due_on.day))
    due.get_by_label("Month").fill(str(due_on.month))
    due.get_by_label("Year").fill(str(due_on.year))
    web.page.get_by_role("group", name="Default assessors (optional)", exact=True).get_by_label(
        assessor.full_name, exact=True
    ).check()
    web.submit("Enrol learners")


def answer(web, code: str, label: str, reflection: str = "") -> None:
    web.page.get_by_role("group", name=f"Your answer for {code}", exact=True).get_by_label(
        label, exact=True
    ).check()
    if reflection:
        # The reflection is one tap away, in its row's Details.
        summary = re.compile(rf"^\s*Add a reflection for {re.escape(code)}\s*$")
        web.page.locator("summary", has_text=summary).click()
        web.fill(f"Reflection on {code} (optional)", reflection)


def add_evidence(web, *paths) -> None:
    # The NHS file upload script puts a drop zone over the input, so set the input itself.
    web.page.locator("input[type=file][name=file]").set_input_files([str(p) for p in paths])
    web.submit("Upload")
    names = " and ".join(path.name for path in paths)
    assert f"{names} have been added" in web.banner()


def decision_row(web, code: str):
    """One proficiency's row on the review page."""
    group = web.page.get_by_role("group", name=f"Your decision on {code}", exact=True)
    return web.page.locator(".stepwise-decision", has=group)


def reject(web, code: str, action: str) -> None:
    """Reject one proficiency on the review page with a one-action plan due in 2 weeks: two
    taps (Reject, then the due date) besides the action's text."""
    row = decision_row(web, code)
    row.get_by_label("Reject", exact=True).check()
    row.get_by_label("Action 1", exact=True).fill(action)
    row.get_by_role("group", name="Action 1 due", exact=True).get_by_label(
        "In 2 weeks", exact=True
    ).check()


def pdf_text(path) -> str:
    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() for page in reader.pages)


# --- The journey -------------------------------------------------------------------------------


def test_the_whole_journey_from_enrolment_to_certificate_on_step_1(
    web_for, tmp_path, trust, learner, assessor, educator, trust_admin, framework_author
):
    # Given the sample Step 1, offered by the Trust, and three people who work there
    # (named, so that pages and the certificate can be read for them)
    for person, name in (
        (learner, "Aisha Rahman"),
        (assessor, "Ben Thompson"),
        (educator, "Carys Morgan"),
    ):
        person.full_name = name
        person.save(update_fields=["full_name"])
    step_1 = next(v for v in load_samples(by=framework_author) if v.framework.slug == "step-1")
    trust_framework_offer(trust=trust, framework=step_1.framework, by=trust_admin)
    proficiencies = list(Proficiency.objects.filter(version=step_1).select_related("section"))
    sections = sorted({p.section for p in proficiencies}, key=lambda s: s.position)
    assert len(sections) == 18
    to_answer = [p for p in proficiencies if not p.optional or p.code in OPTIONAL_TAKEN]
    forms = FormsSent()
    educator_web = forms.watch(web_for(educator), "educator")
    learner_web = forms.watch(web_for(learner), "learner")
    assessor_web = forms.watch(web_for(assessor), "assessor")
    today = timezone.localdate()

    # When the educator enrols the learner on Step 1 through the Enrol page
    educator_web.visit("/")
    enrol(educator_web, learner=learner, assessor=assessor, due_on=today + timedelta(days=180))

    # Then the learner is enrolled, with the assessor as their default
    assert "1 learner enrolled on" in educator_web.banner()
    assert "Aisha Rahman" in educator_web.banner()
    enrolment = Enrolment.objects.get(learner=learner)
    assert enrolment.version == step_1
    assert list(enrolment.assessors.all()) == [assessor]

    # When the learner opens Step 1 from their proficiencies
    learner_web.visit("/")
    learner_web.follow("My proficiencies", within="header")
    learner_web.follow(step_1.framework.title)
    learner_web.submit("Answer your proficiencies")

    # And answers the whole Step on one page, taking three optional ones: each answer is saved
    # as it is tapped (by script), and one press of Save sends the page as well
    assert learner_web.heading() == "Answer your proficiencies"
    for proficiency in to_answer:
        reflection = (
            f"I did this on my supernumerary shifts and discussed {proficiency.code} "
            "with my practice supervisor."
            if proficiency.code in ("1.1", *REJECTED)
            else ""
        )
        answer(learner_web, proficiency.code, step_1.achieved_label, reflection)
    saved = learner_web.page.locator(".stepwise-answer__status", has_text="Saved")
    saved.nth(len(to_answer) - 1).wait_for()
    learner_web.submit("Save answers")
    assert learner_web.banner().endswith("Your answers were already saved: nothing has changed")

    # Then every required proficiency and three optional ones are achieved
    states = enrolment.records.values_list("proficiency__code", "state")
    achieved = {code for code, state in states if state == RecordState.ACHIEVED}
    assert achieved == {p.code for p in to_answer}
    assert len(achieved) == 115

    # When they add evidence for the bed space check, a PDF and a photo with one press
    learner_web.follow("Evidence and history for 1.1")
    assert learner_web.heading() == "Proficiency 1.1"
    add_evidence(
        learner_web,
        a_pdf(tmp_path / "bed-space-checklist.pdf"),
        a_png(tmp_path / "signed-checklist.png"),
    )
    assert "bed-space-checklist.pdf" in learner_web.text()
    assert "signed-checklist.png" in learner_web.text()

    # And ask their assessor to confirm everything achieved: all ticked, their assessor
    # chosen, one press
    learner_web.follow("Ask for confirmation")
    assert learner_web.page.locator("input[name=records]:checked").count() == 115
    assert learner_web.page.get_by_label("Who should confirm them?").input_value() == str(
        assessor.pk
    )
    learner_web.submit("Send request")

    # Then they are told the request has gone
    assert "We have asked Ben Thompson to confirm 115 proficiencies" in learner_web.banner()

    # When the assessor opens the request from To review
    assessor_web.visit("/")
    assessor_web.follow("To review", within="header")
    assert "1 request waiting" in assessor_web.text()
    assessor_web.follow("Aisha Rahman")
    assert assessor_web.heading() == "Review Aisha Rahman's proficiencies"
    # (each row says what the learner gave; the reflection and evidence are one tap away)
    first_row = decision_row(assessor_web, "1.1")
    first_row.get_by_text("Reflection and 2 evidence files").click()
    assert "discussed 1.1 with my practice supervisor" in first_row.inner_text()
    assert "bed-space-checklist.pdf" in first_row.inner_text()
    assert "signed-checklist.png" in first_row.inner_text()

    # And rejects two with action plans and confirms the other 113 in one form
    reject(assessor_web, "1.2", "Complete a respiratory assessment with me on two shifts")
    reject(assessor_web, "1.3", "Check cuff pressure with a manometer with me on a shift")
    decision_row(assessor_web, "1.3").get_by_text("Reflection, no evidence").click()
    assessor_web.fill(
        "Feedback on 1.3 for the learner (optional)",
        "Your tube checks are good; the cuff pressure was not recorded.",
    )
    assessor_web.check()  # the open action plans pass axe too
    assessor_web.submit("Confirm everything else and save")

    # Then 113 are confirmed and two rejected, and the learner is told
    assert (
        "You confirmed 113 proficiencies and rejected 2 with an action plan for Aisha Rahman"
        in assessor_web.banner()
    )
    assert "Nothing is waiting for you to review" in assessor_web.text()
    states = dict(enrolment.records.values_list("proficiency__code", "state"))
    assert {code for code, state in states.items() if state == RecordState.REJECTED} == set(
        REJECTED
    )

    # When the learner opens their action plans from their overview
    learner_web.visit(f"/enrolments/{enrolment.pk}/")
    assert "Open action plans" in learner_web.text()
    learner_web.submit("Your action plans")
    assert "the cuff pressure was not recorded" in learner_web.text()

    # And ticks both actions done and answers both again, asking at once, in one form
    for action in (
        "Complete a respiratory assessment with me on two shifts",
        "Check cuff pressure with a manometer with me on a shift",
    ):
        learner_web.choose(action)
    for code in REJECTED:
        answer(learner_web, code, step_1.achieved_label)
    saved = learner_web.page.locator(".stepwise-answer__status", has_text="Saved")
    saved.nth(len(REJECTED) - 1).wait_for()  # answers saved as they were tapped
    learner_web.submit("Save and ask for confirmation")
    assert learner_web.banner().endswith("2 actions marked as done")

    # Then both are ready to send, ticked, to their assessor: one press
    assert learner_web.page.locator("input[name=records]:checked").count() == 2
    learner_web.submit("Send request")
    assert "We have asked Ben Thompson to confirm 2 proficiencies" in learner_web.banner()

    # When the assessor confirms both
    assessor_web.follow("To review", within="header")
    assessor_web.follow("Aisha Rahman")
    assessor_web.submit("Confirm everything else and save")

    # Then everything the learner needs is confirmed
    assert "You confirmed 2 proficiencies for Aisha Rahman" in assessor_web.banner()
    confirmed = enrolment.records.filter(state=RecordState.CONFIRMED).count()
    assert confirmed == 115

    # When the learner asks for sign-off, agreeing with the declaration
    learner_web.follow(f"Back to {step_1.framework.title}")
    learner_web.submit("Ask for sign-off")
    assert step_1.learner_declaration in learner_web.text()
    learner_web.choose("I agree with this declaration")
    learner_web.submit("Ask for sign-off")
    assert "You have asked Carys Morgan to sign off your record" in learner_web.banner()

    # And the educator signs off from To review
    educator_web.follow("To review", within="header")
    educator_web.follow("Aisha Rahman")
    assert educator_web.heading() == "Sign off Aisha Rahman"
    educator_web.choose("I agree with the declaration")
    educator_web.submit("Sign off and issue the certificate")

    # Then the enrolment is signed off and a certificate issued
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.SIGNED_OFF
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert f"Certificate serial {certificate.serial}" in educator_web.banner()

    # (and its PDF already made: the tasks run at once in tests, and the live server commits
    # the sign-off for real before it answers, so there is nothing to wait for)
    assert certificate.pdf

    # When the learner downloads the certificate from their overview
    learner_web.follow(f"Back to {step_1.framework.title}")
    assert "This enrolment was signed off on" in learner_web.text()
    with learner_web.page.expect_download() as download:
        learner_web.page.get_by_role("link", name="Download your certificate (PDF)").click()
    path = download.value.path()

    # Then it names the learner, the framework and the serial, and who confirmed what
    text = " ".join(pdf_text(path).split())
    assert "Aisha Rahman" in text
    assert step_1.framework.title in text
    assert f"Certificate serial {certificate.serial}" in text
    assert f"signed off by Carys Morgan on {date(certificate.signed_off_at)}" in text
    by_code = {p.code: p for p in proficiencies}
    confirmed_by = f"Confirmed by Ben Thompson (NMC {assessor.registration_number}) on"
    for code in ("1.1", "1.2", "1.3", "2.3", "9.1", "18.4"):
        assert f"{code} {by_code[code].statement} {confirmed_by}" in text
    assert f"4.9 {by_code['4.9'].statement} Optional: not taken" in text

    # And all of it took no more than a handful of forms
    assert len(forms) <= MOST_FORMS_SENT, forms.sent
    assert len(forms.by["learner"]) <= LEARNER_MOST_FORMS_SENT, forms.by["learner"]
    assert len(learner_web.loaded) <= LEARNER_MOST_PAGES, learner_web.loaded
    assert len(forms.by["assessor"]) <= ASSESSOR_MOST_FORMS_SENT, forms.by["assessor"]
    assert len(assessor_web.loaded) <= ASSESSOR_MOST_PAGES, assessor_web.loaded
    assert len(forms.by["educator"]) <= EDUCATOR_MOST_FORMS_SENT, forms.by["educator"]
    assert len(educator_web.loaded) <= EDUCATOR_MOST_PAGES, educator_web.loaded

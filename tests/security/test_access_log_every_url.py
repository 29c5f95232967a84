"""Every page that shows staff a learner's record writes to the access log (issue 12 point 4),
found by walking every URL as each kind of staff. A page on RECORD_PAGES must log the look,
naming whose record it is; any other page that answers staff with the learner's name must say in
NAMES_ONLY why it need not. A new page naming a learner fails here until it is one or the
other."""

import pytest

from stepwise.core.models import AccessRecord
from tests.security.rows import ROWS
from tests.security.urls import every_url, path_for, values_for
from tests.security.visiting import Visitor
from tests.security.world import PERSONAS, build_world

pytestmark = pytest.mark.django_db

STAFF = ("assessor", "educator", "trust_admin", "platform_admin", "other_trust_staff")

# Pages and files that show what is held about the learner: each look is logged.
RECORD_PAGES = {
    "progress:review",
    "progress:staff_record",
    "progress:enrolment_manage",
    "progress:sign_off",
    "progress:evidence_download",
    "progress:prior_record",
    "certificates:download",
    "certificates:credential",
    "privacy:export_download",
    "organisations:person_detail",
    "passports:prior_attainment",
    "admin:accounts_user_change",
    "admin:certificates_certificate_change",
    "admin:organisations_membership_change",
}

LIST = "a list naming learners, each line leading to a logged page"
FORM = "a form naming the person it acts on; what it changes is written as an event"
ADMIN_LIST = "the platform administration's list or history; each change page is logged"
# Pages that name the learner without showing their record.
NAMES_ONLY = {
    "admin:accounts_user_changelist": ADMIN_LIST,
    "admin:accounts_user_history": ADMIN_LIST,
    "admin:certificates_certificate_changelist": ADMIN_LIST,
    "admin:certificates_certificate_history": ADMIN_LIST,
    "admin:organisations_membership_changelist": ADMIN_LIST,
    "admin:organisations_membership_history": ADMIN_LIST,
    "admin:auth_user_password_change": FORM,
    "admin:organisations_trustevent_add": "a form whose list of people names everyone",
    "certificates:list": "the Trust's certificates: name, title and date, as on each certificate",
    "certificates:revoke": FORM + " (and the revocation is logged)",
    "certificates:verify": "the public page that anyone holding the certificate can open",
    "notifications:list": "the staff member's own notifications",
    "organisations:people": LIST,
    "organisations:membership_end": FORM,
    "organisations:person_roles": FORM,
    "organisations:two_step_reset": FORM,
    "privacy:person_export": FORM + " (starting an export is logged)",
    "privacy:export_progress": "an export's progress; its download is logged",
    "progress:enrol": "a form whose list of learners names everyone",
    "progress:enrolments": LIST,
    "progress:enrolment_move": FORM,
    "progress:enrolment_withdraw": FORM,
    "progress:to_review": LIST,
}


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_every_page_showing_a_learners_record_to_staff_logs_it():
    world = build_world()
    learner = world.people["learner"]
    visitor = Visitor(world.people)
    not_logged, undeclared, opened = [], [], set()
    for entry in every_url():
        row = ROWS.get(entry.key)
        if row is None:
            continue  # the authorization matrix names it
        path = path_for(entry, values_for(entry, world, row))
        if row.query:
            path += "?" + row.query
        cells = dict(zip(PERSONAS, row.expected("get"), strict=True))
        for persona in (p for p in STAFF if cells[p] == "200"):
            seen = {}

            def look(response, seen=seen, viewer=world.people[persona]):
                seen["status"] = response.status_code
                # The world's learner, or the one who moved Trust for the prior record.
                seen["logged"] = (
                    AccessRecord.objects.filter(viewer=viewer).exclude(subject=None).exists()
                )
                seen["named"] = learner.full_name.encode() in _body(response)

            visitor.request(persona, "get", path, before_rollback=look)
            if seen["status"] != 200:
                continue
            if entry.key in RECORD_PAGES:
                opened.add(entry.key)
                if not seen["logged"]:
                    not_logged.append(f"{entry.key} as {persona} ({path})")
            elif seen["named"] and entry.key not in NAMES_ONLY:
                undeclared.append(f"{entry.key} as {persona} ({path})")
    message = []
    if not_logged:
        message.append("Record pages that wrote no access log entry:\n" + "\n".join(not_logged))
    if undeclared:
        message.append(
            "Pages naming the learner to staff, in neither RECORD_PAGES (log the look with "
            "core.access_log.record) nor NAMES_ONLY (say why not):\n" + "\n".join(undeclared)
        )
    if RECORD_PAGES - opened:
        message.append(f"Record pages no staff member opened: {sorted(RECORD_PAGES - opened)}")
    assert not message, "\n\n".join(message)

"""One hostile submission of a form, and what it must not do: a server error, a message beside
a field that the NHS error summary does not name, or rows left behind by a refusal."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import strategies as st

from tests.fuzz import hostile
from tests.fuzz.pages import DATE_PARTS, UNTOUCHED, Form, errors_on
from tests.fuzz.state import changed, row_counts
from tests.security.visiting import Visitor

TEXT_KINDS = {"text", "textarea", "email", "password", "search", "url", "tel", "hidden"}
ID_IN_PATH = re.compile(r"/(\d+)(?=/)")


class Problem(AssertionError):
    pass


class RaisingVisitor(Visitor):
    """The matrix's visitor, but a view's exception is raised rather than turned into a 500,
    so the fuzzer reports it with its traceback."""

    def __init__(self, people: dict, **kwargs):
        super().__init__(people, **kwargs)
        for client in self.clients.values():
            client.raise_request_exception = True


@st.composite
def submissions(draw, form: Form, known: list[int]):
    """(path, data): the form as its page filled it in, with some fields (chosen by
    hypothesis) given hostile values, and sometimes the ids in its address changed."""
    path = form.action
    if ID_IN_PATH.search(path) and draw(st.booleans()):
        foreign = st.sampled_from([*map(str, known), "0", str(2**31), str(2**63), "9" * 30])
        path = ID_IN_PATH.sub(lambda _: "/" + draw(foreign), path)
    data = form.defaults()
    for item in form.fields.values():
        if item.name in UNTOUCHED or not draw(st.booleans()):
            continue
        if item.kind == "date":
            for part, value in zip(DATE_PARTS, draw(hostile.date()), strict=True):
                data[item.name + part] = value
        elif item.kind == "file":
            data[item.name] = draw(hostile.upload())
        elif item.kind == "number":
            data[item.name] = draw(hostile.number())
        elif item.kind in TEXT_KINDS:
            data[item.name] = draw(st.one_of(hostile.text(), hostile.ids(known)))
        else:  # select, radio, checkbox, submit
            data[item.name] = draw(hostile.choice(item.choices, known))
        if draw(st.integers(0, 9)) == 0:
            data.pop(item.name, None)  # sometimes not sent at all
    if form.query:
        path += "?" + form.query
    return path, data


def worst_submissions(form: Form) -> list[tuple[str, dict]]:
    """Each field alone given its kind's worst values (hostile.WORST_*), the rest as the page
    filled them in; and the address with its ids made huge. Tried first, as explicit examples,
    so every field meets them however few random examples follow."""
    path = form.action + ("?" + form.query if form.query else "")
    tries = []
    if ID_IN_PATH.search(form.action):
        huge = ID_IN_PATH.sub("/" + hostile.WORST_ID, form.action)
        tries.append((huge + ("?" + form.query if form.query else ""), form.defaults()))
    for item in form.fields.values():
        if item.name in UNTOUCHED:
            continue
        if item.kind == "date":
            values = [
                dict(zip([item.name + p for p in DATE_PARTS], hostile.WORST_DATE, strict=True))
            ]
        elif item.kind == "file":
            values = [{item.name: upload} for upload in hostile.worst_uploads()]
        elif item.kind == "number":
            values = [{item.name: v} for v in (hostile.WORST_NUMBER, hostile.LOOKALIKE_DIGIT)]
        elif item.kind in TEXT_KINDS:
            values = [{item.name: text} for text in hostile.WORST_TEXT]
        else:
            values = [{item.name: v} for v in (hostile.WORST_ID, hostile.LOOKALIKE_DIGIT)]
        tries.extend((path, {**form.defaults(), **value}) for value in values)
    return tries


def submit(
    visitor: Visitor,
    persona: str,
    method: str,
    path: str,
    data: dict,
    *,
    refused_if=None,
    before_rollback=None,
):
    """Send the form as `persona` in a savepoint rolled back afterwards; raises Problem for a
    server error, an error message the summary does not name, state left by a refusal, or
    state changed by a GET. `refused_if(response)` says a response is a refusal too (one
    without the NHS error summary); `before_rollback(response)` may look at what was stored."""
    client = visitor.clients[persona]
    cookies = client.cookies
    client.cookies = type(cookies)(cookies)
    for value in data.values():
        if isinstance(value, SimpleUploadedFile):
            value.seek(0)  # an explicit example's file is sent again when shrinking
    try:
        with transaction.atomic():
            before = row_counts()
            if method == "get":
                fields = {k: v for k, v in data.items() if not isinstance(v, SimpleUploadedFile)}
                response = client.get(path, fields)
            else:
                response = client.post(path, data)
            after = row_counts()
            if before_rollback is not None and response.status_code < 500:
                before_rollback(response)
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    if response.status_code >= 500:
        raise Problem(f"{response.status_code} from {path}")
    html = ""
    if "html" in response.get("Content-Type", ""):
        html = response.content.decode(errors="replace")
    errors = errors_on(html)
    if errors.inline and not errors.summary:
        raise Problem(f"Error messages {errors.inline} but no error summary")
    if errors.summary:
        if not [item for item in errors.listed if item]:
            raise Problem("An error summary that names no problem")
        # A field with two problems shows both in one message, listed one by one above.
        unnamed = [
            m for m in errors.inline if not any(item and item in m for item in errors.listed)
        ]
        if unnamed:
            raise Problem(f"Error messages the summary does not name: {unnamed}")
    refused = (
        errors.summary
        or 400 <= response.status_code < 500
        or method == "get"
        or (refused_if is not None and refused_if(response))
    )
    left = changed(before, after) if refused else {}
    if left:
        raise Problem(
            f"{method.upper()} refused ({response.status_code}), yet rows changed: {left}"
        )
    return response

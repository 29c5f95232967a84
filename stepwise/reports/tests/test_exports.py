"""The downloads: each table as CSV and all of them as a workbook, equal to the page, every
text cell safe to open in a spreadsheet."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from stepwise.core.spreadsheet_cells import unescape_cell
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import ConfirmationRequest
from stepwise.progress.tests.staff_helpers import another_learner, ask, enrol, read, records
from stepwise.reports.exports import xlsx_file
from stepwise.reports.presenters import Cell, Table

from .tables import body, page_tables

URL = reverse("reports:dashboard")


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def sheets(content: bytes) -> dict[str, list[list]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return {
        sheet.title: [
            ["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in book.worksheets
    }


def test_csv_and_xlsx_equal_the_page(client_for, educator, enrolment, trust, offered, assessor):
    # A name that a spreadsheet would run as a formula, unless neutralised.
    formula = MembershipFactory(trust=trust, unit=trust.units[0], is_assessor=True).person
    formula.full_name = "=HYPERLINK(1)"
    formula.save(update_fields=["full_name"])
    pooled = enrol(another_learner(trust), offered, trust, educator)
    ask(pooled, records(pooled)[:1], assessor=formula)
    ask(enrolment, records(enrolment)[:2], unit=trust.units[0])
    assert ConfirmationRequest.objects.count() == 2
    client = client_for(educator)
    params = {"framework": offered.framework_id}
    screen = page_tables(read(client.get(URL, params)))[0]
    assert set(screen) == {
        "Learners by stage",
        "Sign-off and due dates",
        "Assessors' waiting requests",
        "Sign-offs per month",
        "Paper saved",
        "Time taken",
    }
    workbook = sheets(body(client.get(reverse("reports:export", args=["xlsx"]), params)))
    for key, caption in (
        ("stages", "Learners by stage"),
        ("due", "Sign-off and due dates"),
        ("workload", "Assessors' waiting requests"),
        ("months", "Sign-offs per month"),
        ("paper", "Paper saved"),
        ("times", "Time taken"),
    ):
        downloaded = csv_rows(
            client.get(reverse("reports:export", args=["csv"]), {"table": key, **params})
        )
        assert [[unescape_cell(c) for c in row] for row in downloaded] == screen[caption]
        sheet = [
            [str(unescape_cell(c)) if isinstance(c, str) else str(c) for c in row]
            for row in workbook[caption]
        ]
        assert sheet == screen[caption]
    assert ["'=HYPERLINK(1)", "1", "0", "0", "1"] in csv_rows(
        client.get(reverse("reports:export", args=["csv"]), {"table": "workload"})
    )
    assert ["'=HYPERLINK(1)", 1, 0, 0, 1] in workbook["Assessors' waiting requests"]


def test_sheet_names_keep_within_excels_31_characters():
    long = Table(
        "long",
        "A table with a title much longer than Excel allows",
        ["Name", "N"],
        [[Cell("-1 pounds"), Cell(3)]],
    )
    book = sheets(xlsx_file([long]))
    assert list(book) == ["A table with a title much longe"]
    assert book["A table with a title much longe"] == [["Name", "N"], ["'-1 pounds", 3]]


def test_unknown_tables_and_formats_are_not_found(client_for, educator):
    client = client_for(educator)
    assert client.get(reverse("reports:export", args=["csv"]), {"table": "nope"}).status_code == 404
    assert client.get(reverse("reports:export", args=["csv"])).status_code == 404
    assert client.get(reverse("reports:export", args=["pdf"])).status_code == 404


def test_downloads_need_the_same_roles(client_for, learner, assessor):
    for person in (learner, assessor):
        response = client_for(person).get(reverse("reports:export", args=["xlsx"]))
        assert response.status_code == 403


def test_a_named_list_downloads_as_the_page_shows_it(
    client_for, educator, enrolment, trust, offered
):
    other = enrol(another_learner(trust), offered, trust, educator)
    client = client_for(educator)
    params = {"show": "not_started"}
    screen = page_tables(read(client.get(reverse("reports:learners"), params)))[0]["2 learners"]
    downloaded = csv_rows(client.get(reverse("reports:learners_export", args=["csv"]), params))
    assert downloaded == screen
    assert {row[0] for row in downloaded[1:]} == {
        enrolment.learner.full_name,
        other.learner.full_name,
    }
    workbook = sheets(body(client.get(reverse("reports:learners_export", args=["xlsx"]), params)))
    assert workbook["Not started"] == screen
    bad = client.get(reverse("reports:learners_export", args=["csv"]), {"show": "nobody"})
    assert bad.status_code == 404

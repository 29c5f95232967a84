"""A version's page, its settings, its export, the learner's preview and the changes page, and
that none of them costs more queries as the framework grows."""

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from stepwise.frameworks.exchange import files
from stepwise.frameworks.models import FrameworkVersion
from stepwise.frameworks.services import (
    proficiency_add,
    proficiency_edit,
    proficiency_remove,
    version_draft,
    version_return,
    version_submit_for_review,
)
from stepwise.frameworks.tests.conftest import big_spec, read
from stepwise.frameworks.tests.factories import FrameworkFactory, draft_version, published_version


def url(name, version, *extra):
    return reverse(f"frameworks:{name}", args=[version.framework.slug, version.pk, *extra])


# The version page


def test_a_draft_shows_its_content_in_order_with_what_can_be_done(
    client_for, framework_author, draft
):
    page = read(client_for(framework_author).get(url("version", draft)))

    assert "Draft" in page
    assert "5 proficiencies in 2 sections" in page
    assert page.index("1 Respiratory") < page.index("1.1</strong>") < page.index("2 Cardiovascular")
    assert page.index("1.1</strong>") < page.index("1.2</strong>") < page.index("1.3</strong>")
    assert "Supernumerary period" in page and "Optional" in page
    assert "Send for review" in page
    assert "Add a section" in page
    assert 'Move down<span class="nhsuk-u-visually-hidden"> proficiency 1.1' in page
    assert 'Move up<span class="nhsuk-u-visually-hidden"> proficiency 1.1' not in page
    assert 'Move up<span class="nhsuk-u-visually-hidden"> proficiency 1.3' in page
    assert 'Move down<span class="nhsuk-u-visually-hidden"> proficiency 1.3' not in page
    for fmt in ("csv", "xlsx", "case"):
        assert url("export", draft, fmt) in page


def test_a_reviewer_reads_a_draft_without_changing_it(client_for, draft, reviewer):
    page = read(client_for(reviewer).get(url("version", draft)))

    assert "1.1</strong> Describe the anatomy of the airway" in page
    assert "Add a section" not in page
    assert "Move up" not in page
    assert "Send for review" not in page
    assert "Review and comments" in page


def test_a_version_in_review_cannot_be_changed(client_for, framework_author, draft):
    version_submit_for_review(version=draft, by=framework_author)

    page = read(client_for(framework_author).get(url("version", draft)))

    assert "In review" in page
    assert "sent this version for review on" in page
    assert "Add a section" not in page
    assert "Send for review" not in page


def test_a_returned_version_says_why(client_for, framework_author, draft, reviewer):
    version_submit_for_review(version=draft, by=framework_author)
    version_return(version=draft, by=reviewer, comment="Split 1.2 into two.")

    page = read(client_for(framework_author).get(url("version", draft)))

    assert f"{reviewer.full_name} returned this version to draft on" in page
    assert "Split 1.2 into two." in page


def test_a_published_version_offers_retiring_to_authors(client_for, framework_author, published):
    page = read(client_for(framework_author).get(url("version", published)))

    assert "Published" in page
    assert url("retire", published) in page
    assert "Add a section" not in page


# Settings


def settings_data(**changes):
    data = {
        "label": "1.0",
        "achieved_label": "Competent",
        "ongoing_label": "Working towards",
        "minimum_optional": "1",
        "supernumerary_weeks": "6",
        "learner_declaration": "I declare.",
        "assessor_declaration": "I confirm.",
    }
    return {**data, **changes}


def test_an_author_changes_the_settings(client_for, framework_author, draft):
    client = client_for(framework_author)
    assert 'value="Achieved"' in read(client.get(url("version_settings", draft)))

    response = client.post(url("version_settings", draft), settings_data(label="1.1"))

    draft.refresh_from_db()
    assert response.url == url("version", draft)
    assert (draft.label, draft.achieved_label, draft.minimum_optional) == ("1.1", "Competent", 1)
    assert draft.supernumerary_weeks == 6


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"label": ""}, "Enter the version label"),
        ({"achieved_label": "  "}, "Enter the answer for achieved"),
        ({"minimum_optional": "two"}, "must be a whole number"),
        ({"minimum_optional": "-1"}, "must be a whole number, 0 or more"),
        # Too big for the database's integer: an overflow (a 500) before it was refused.
        ({"minimum_optional": "9" * 20}, "must be 9,999 or fewer"),
        ({"minimum_optional": "10000"}, "must be 9,999 or fewer"),
        ({"supernumerary_weeks": "53"}, "whole number of weeks, from 0 to 52"),
        ({"supernumerary_weeks": "six"}, "must be a whole number of weeks"),
        ({"learner_declaration": ""}, "Enter the learner declaration"),
        ({"assessor_declaration": "@me"}, "read as a formula"),
        ({"label": "0.9"}, "Step 1 already has a version 0.9"),
    ],
)
def test_bad_settings_are_explained(client_for, framework_author, draft, changes, message):
    FrameworkVersion.objects.create(
        framework=draft.framework, label="0.9", state="retired", created_by=framework_author
    )

    response = client_for(framework_author).post(
        url("version_settings", draft), settings_data(**changes)
    )

    assert response.status_code == 200
    assert message in read(response)
    draft.refresh_from_db()
    assert draft.achieved_label == "Achieved"


def test_settings_of_a_version_in_review_cannot_change(client_for, framework_author, draft):
    version_submit_for_review(version=draft, by=framework_author)

    response = client_for(framework_author).post(
        url("version_settings", draft), settings_data(), follow=True
    )

    assert "is in review: a reviewer must return it to draft" in read(response)
    draft.refresh_from_db()
    assert draft.achieved_label == "Achieved"


# Export


def test_a_version_exports_as_csv_xlsx_and_case(client_for, reviewer, draft):
    client = client_for(reviewer)

    csv = client.get(url("export", draft, "csv"))
    xlsx = client.get(url("export", draft, "xlsx"))
    case = client.get(url("export", draft, "case"))

    assert csv["Content-Disposition"] == 'attachment; filename="step-1-1.0.csv"'
    assert "Describe the anatomy of the airway" in csv.content.decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert sheet.cell(row=2, column=4).value == "Describe the anatomy of the airway"
    assert case["Content-Type"] == files.CONTENT_TYPES["case"]
    assert len(json.loads(case.content)["CFItems"]) == 7


# Preview


def test_the_preview_shows_what_learners_see(client_for, framework_author, draft):
    draft.achieved_label = "Competent"
    draft.save()

    page = read(client_for(framework_author).get(url("preview", draft)))

    assert "<h2" in page and "1 Respiratory" in page
    assert "1.2 Perform endotracheal suctioning" in page
    assert "Closed circuit only." in page
    assert "Supernumerary period" in page and "Optional" in page
    assert page.count('type="radio"') == 10
    assert page.count(" disabled") >= 10
    assert "Competent" in page and "On going assessment" in page
    # Each proficiency's answer has its own name and ids, and says which proficiency it is for
    assert 'name="answer-' in page and "__ANSWER" not in page
    assert 'Your answer<span class="nhsuk-u-visually-hidden"> for 2.1</span>' in page


def test_the_preview_escapes_what_authors_wrote(client_for, framework_author, draft):
    section = draft.sections.first()
    proficiency_add(
        section=section,
        by=framework_author,
        code="<b>1.9",
        statement="Use <script>alert(1)</script>",
    )

    page = client_for(framework_author).get(url("preview", draft)).content.decode()

    assert "<script>alert(1)" not in page
    assert "&lt;b&gt;1.9" in page


# Changes since the previous version


@pytest.fixture
def second(framework_author, published):
    """Version 2.0: 1.1 reworded, 1.3's guidance changed, 2.2 removed, 2.3 added."""
    version = version_draft(framework=published.framework, by=framework_author)
    by_code = {p.code: p for p in version.proficiencies.all()}
    airway = by_code["1.1"]
    proficiency_edit(
        proficiency=airway,
        by=framework_author,
        code="1.1",
        statement="Describe the anatomy and physiology of the upper airway",
        supernumerary=True,
    )
    humidify = by_code["1.3"]
    proficiency_edit(
        proficiency=humidify,
        by=framework_author,
        code="1.3",
        statement=humidify.statement,
        optional=True,
        guidance="Heated humidification.",
    )
    proficiency_remove(proficiency=by_code["2.2"], by=framework_author)
    proficiency_add(
        section=by_code["2.1"].section,
        by=framework_author,
        code="2.3",
        statement="Set up an arterial line",
    )
    return version


def test_the_changes_page_marks_what_changed_word_by_word(client_for, framework_author, second):
    page = read(client_for(framework_author).get(url("changes", second)))

    assert "Changes since version 1.0" in page
    assert "2 proficiencies unchanged" in page
    assert "2 proficiencies changed" in page
    assert "1 proficiency added" in page and "1 proficiency removed" in page
    assert (
        '<ins class="stepwise-diff__added"><span class="nhsuk-u-visually-hidden">[added: </span>'
        'and physiology<span class="nhsuk-u-visually-hidden">]</span></ins>'
    ) in page
    assert "Also changed: None" in page  # 1.1: only the statement
    assert "Changed: Guidance" in page  # 1.3: same statement, new guidance
    assert "2.3</strong> Set up an arterial line" in page
    assert "2.2</strong> Measure central venous pressure" in page


def test_removed_words_are_marked_too(client_for, framework_author, published):
    version = version_draft(framework=published.framework, by=framework_author)
    airway = version.proficiencies.get(code="1.1")
    proficiency_edit(
        proficiency=airway,
        by=framework_author,
        code="1.1",
        statement="Describe the airway",
        supernumerary=True,
    )

    page = read(client_for(framework_author).get(url("changes", version)))

    assert (
        '<del class="stepwise-diff__removed"><span class="nhsuk-u-visually-hidden">[removed: '
        "</span>anatomy of the<span"
    ) in page


def test_a_version_with_no_changes_says_so(client_for, framework_author, published):
    version = version_draft(framework=published.framework, by=framework_author)

    page = read(client_for(framework_author).get(url("changes", version)))

    assert "No proficiency has changed since version 1.0" in page


# Speed: the same number of queries whatever the size of the framework


@pytest.mark.parametrize("size", [120, 1000])
def test_framework_pages_cost_the_same_queries_whatever_their_size(
    client_for, framework_author, django_assert_max_num_queries, size
):
    framework = FrameworkFactory(created_by=framework_author)
    published = published_version(framework=framework, by=framework_author, spec=big_spec(size))
    draft = version_draft(framework=framework, by=framework_author)
    edited = draft.proficiencies.get(code="1.1")
    proficiency_edit(
        proficiency=edited,
        by=framework_author,
        code="1.1",
        statement="Something new",
        optional=True,
    )
    client = client_for(framework_author)

    for name, version in [
        ("version", draft),
        ("version", published),
        ("preview", draft),
        ("changes", draft),
        ("review", draft),
    ]:
        with django_assert_max_num_queries(16):
            response = client.get(url(name, version))
        assert response.status_code == 200
    assert read(response).count("Carry out procedure") == 0  # the review page lists no content
    page = read(client.get(url("version", draft)))
    assert page.count("stepwise-proficiencies__item") == size


def test_the_publish_page_costs_the_same_queries_for_a_big_framework(
    client_for, framework_author, django_assert_max_num_queries
):
    from stepwise.frameworks.services import version_approve

    framework = FrameworkFactory(created_by=framework_author)
    published_version(framework=framework, by=framework_author, spec=big_spec(1000))
    draft = version_draft(framework=framework, by=framework_author)
    version_submit_for_review(version=draft, by=framework_author)
    version_approve(version=draft, by=framework_author)

    client = client_for(framework_author)

    with django_assert_max_num_queries(16):
        response = client.get(url("publish", draft))

    assert "1,000 proficiencies unchanged" in read(response)


def test_a_draft_with_an_empty_section_shows_it(client_for, framework_author, framework):
    version = draft_version(
        framework=framework, by=framework_author, spec=[("1", "Renal", [("1.1", "Dialyse", {})])]
    )
    from stepwise.frameworks.services import section_add

    section_add(version=version, by=framework_author, code="2", title="Neurology")

    page = read(client_for(framework_author).get(url("version", version)))

    assert "2 Neurology" in page
    assert "No proficiencies in this section yet." in page

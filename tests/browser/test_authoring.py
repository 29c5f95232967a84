"""A framework author writes a framework, a reviewer sends it back once and then approves it,
the author publishes it, drafts the next version and sees what changed."""

import pytest
from playwright.sync_api import expect

from stepwise.accounts.tests.factories import PersonFactory
from stepwise.frameworks.models import FrameworkVersion

pytestmark = pytest.mark.browser


def statements_in_order(web) -> list[str]:
    return [
        text.split("\n")[0]
        for text in web.page.locator(".stepwise-proficiencies__item").all_inner_texts()
    ]


def test_an_author_drafts_a_framework_gets_it_reviewed_publishes_it_and_sees_the_next_change(
    web_for, framework_author
):
    reviewer = PersonFactory(full_name="Rosa Reviewer", email="rosa.reviewer@nhs.net")
    author = web_for(framework_author)

    # Given an author on the frameworks page
    author.visit("/")
    author.follow("Frameworks")
    assert author.heading() == "Frameworks"

    # When they create a framework, leaving out its short name at first
    author.submit("Create a framework")
    author.fill("Title", "Step 1: adult critical care")
    author.submit("Create framework")

    # Then they are asked for it, and nothing they typed is lost
    assert author.error_summary() == ["Enter a short name for web addresses"]
    assert author.title().startswith("Error: Create a framework")
    expect(author.page.get_by_label("Title", exact=True)).to_have_value(
        "Step 1: adult critical care"
    )
    author.fill("Short name for web addresses", "step-1")
    author.submit("Create framework")
    assert author.heading() == "Step 1: adult critical care"

    # When they add Rosa as a reviewer
    author.submit("Add a collaborator")
    author.fill("Email address", "rosa.reviewer@nhs.net")
    author.choose("Reviewer: comments on versions in review, approves them or returns them")
    author.submit("Add collaborator")
    assert "Rosa Reviewer is now a reviewer" in author.banner()

    # And draft the first version, with a section and two proficiencies
    author.submit("Draft a new version")
    author.submit("Start the new version")
    assert author.heading() == "Version 1.0"
    author.submit("Add a section")
    author.fill("Section code", "1")
    author.fill("Section title", "Respiratory")
    author.submit("Add section")
    author.follow("Add a proficiency to section 1 Respiratory")
    author.fill("Proficiency code", "1.1")
    author.fill("Statement", "Perform endotracheal suctioning")
    author.submit("Add proficiency")
    author.follow("Add a proficiency to section 1 Respiratory")
    author.fill("Proficiency code", "1.2")
    author.fill("Statement", "Describe the anatomy of the airway")
    author.fill("Guidance (optional)", "Include the upper and lower airway.")
    author.choose("To be achieved during the supernumerary period")
    author.submit("Add proficiency")
    assert statements_in_order(author)[-2:] == [
        "1.1 Perform endotracheal suctioning",
        "1.2 Describe the anatomy of the airway",
    ]

    # And move the second one up
    author.submit("Move up proficiency 1.2")
    assert "Proficiency 1.2 moved up" in author.banner()
    assert statements_in_order(author) == [
        "1.2 Describe the anatomy of the airway",
        "1.1 Perform endotracheal suctioning",
    ]

    # Then the preview shows it as learners will see it
    author.follow("Preview as a learner will see it")
    assert "Supernumerary period" in author.text()
    expect(author.page.get_by_role("radio", name="Achieved").first).to_be_disabled()
    author.follow("Back to version 1.0")

    # When they send it for review
    author.submit("Send for review")
    assert "has been sent for review" in author.banner()
    version = FrameworkVersion.objects.get(framework__slug="step-1")
    address = f"/frameworks/step-1/versions/{version.pk}/"

    # And Rosa returns it with a comment
    rosa = web_for(reviewer)
    rosa.visit(address)
    rosa.submit("Review and comments")
    rosa.submit("Return to draft")
    assert rosa.heading() == "Return version 1.0 to draft"
    rosa.submit("Return to draft")
    assert rosa.error_summary() == ["Enter what needs to change"]
    rosa.fill("What needs to change?", "Say which airway: 1.2 is too vague.")
    rosa.submit("Return to draft")
    assert "returned to draft with your comment" in rosa.banner()

    # Then the author sees why, changes the statement and sends it again
    author.visit(address)
    assert "Say which airway: 1.2 is too vague." in author.text()
    author.follow("Change proficiency 1.2")
    author.fill("Statement", "Describe the anatomy of the upper airway")
    author.submit("Save proficiency")
    author.submit("Send for review")

    # And Rosa comments and approves it
    rosa.visit(address + "review/")
    assert "Say which airway: 1.2 is too vague." in rosa.text()
    rosa.fill("Add a comment", "Much clearer, thank you.")
    rosa.submit("Add comment")
    expect(rosa.page.locator("#comments ~ .nhsuk-card").last).to_contain_text(
        "Much clearer, thank you."
    )
    rosa.submit("Approve")
    assert "has been approved" in rosa.banner()

    # When the author publishes it
    author.visit(address)
    author.submit("Publish")
    assert author.heading() == "Publish version 1.0"
    author.submit("Publish version 1.0")
    assert "has been published" in author.banner()
    version.refresh_from_db()
    assert version.state == FrameworkVersion.State.PUBLISHED

    # And drafts version 2.0 from it, changing one statement
    author.follow("Back to Step 1: adult critical care")
    author.submit("Draft a new version")
    author.choose("A copy of version 1.0, the latest published version")
    author.submit("Start the new version")
    assert author.heading() == "Version 2.0"
    author.follow("Change proficiency 1.1")
    author.fill("Statement", "Perform closed circuit endotracheal suctioning safely")
    author.submit("Save proficiency")

    # Then the changes page shows the changed statement, word by word
    author.follow("Changes since version 1.0")
    assert author.heading() == "Changes since version 1.0"
    assert "1 proficiency unchanged" in author.text()
    assert "1 proficiency changed" in author.text()
    added = author.page.locator("ins.stepwise-diff__added")
    expect(added.first).to_contain_text("closed circuit")
    expect(added.last).to_contain_text("safely")
    expect(added.first.locator(".nhsuk-u-visually-hidden").first).to_have_text("[added: ")


def test_an_author_imports_a_version_from_a_spreadsheet_after_fixing_it(
    web_for, framework_author, tmp_path
):
    from stepwise.frameworks.exchange.spreadsheet import COLUMNS
    from stepwise.frameworks.tests.factories import FrameworkFactory

    FrameworkFactory(title="IV therapy passport", slug="iv-therapy", created_by=framework_author)
    author = web_for(framework_author)
    header = ",".join(COLUMNS)

    # Given an author reading about the spreadsheet template
    author.visit("/frameworks/template/")
    assert "proficiency_uuid" in author.text()

    # When they import a file with a missing statement and a flag that is neither yes nor no
    author.visit("/frameworks/iv-therapy/")
    author.submit("Import a version from a file")
    broken = tmp_path / "iv.csv"
    broken.write_text(
        f"{header}\n1,Cannulation,1.1,,,,,,\n1,,1.2,Secure the cannula,,maybe,,,\n",
        encoding="utf-8",
    )
    author.page.locator("input[type=file][name=file]").set_input_files(str(broken))
    author.submit("Import file")

    # Then every problem is listed with its row and column, and nothing is imported
    assert author.title().startswith("Error: Import a version from a file")
    summary = author.error_summary()
    assert "Row 2, statement: Enter the statement" in summary
    assert "Row 3, optional: The optional column must be yes or no, not 'maybe'" in summary
    assert not FrameworkVersion.objects.filter(framework__slug="iv-therapy").exists()

    # When they upload the fixed file
    fixed = tmp_path / "iv-fixed.csv"
    fixed.write_text(
        f"{header}\n1,Cannulation,1.1,Insert a cannula,,,,,\n1,,1.2,Secure the cannula,,yes,,,\n",
        encoding="utf-8",
    )
    author.page.locator("input[type=file][name=file]").set_input_files(str(fixed))
    author.submit("Import file")

    # Then it is the new draft
    assert "has been imported from iv-fixed.csv as a draft" in author.banner()
    assert author.heading() == "Version 1.0"
    assert "2 proficiencies in 1 section" in author.text()

import copy
import json
import re

import pytest

from stepwise.frameworks.exchange.case import export_case, export_case_json
from stepwise.frameworks.exchange.case_reading import read_case
from stepwise.frameworks.exchange.files import import_file, read_file
from stepwise.frameworks.exchange.problems import ImportInvalid
from stepwise.frameworks.models import FrameworkVersion
from stepwise.frameworks.services import (
    proficiency_edit,
    section_add,
    version_draft,
    version_retire,
    version_update,
)
from stepwise.frameworks.tests.case_schema import CASE_1_1_UUID, case_problems
from stepwise.frameworks.tests.factories import FrameworkFactory, published_version


def test_an_export_is_valid_case(published):
    package = export_case(published)

    assert case_problems(package) == []


def test_a_draft_and_a_retired_export_are_valid_case(published, framework_author):
    draft = version_draft(framework=published.framework, by=framework_author)
    version_retire(version=published, by=framework_author)

    assert case_problems(export_case(draft)) == []
    assert case_problems(export_case(published)) == []
    assert export_case(draft)["CFDocument"]["adoptionStatus"] == "Private Draft"
    retired = export_case(published)["CFDocument"]
    assert (retired["adoptionStatus"], "statusEndDate" in retired) == ("Deprecated", True)


def test_every_identifier_is_a_lower_case_rfc_4122_uuid(published):
    package = export_case(published)
    identifiers = [package["CFDocument"]["identifier"]]
    identifiers += [item["identifier"] for item in package["CFItems"]]
    identifiers += [association["identifier"] for association in package["CFAssociations"]]

    assert len(identifiers) == len(set(identifiers)) == 1 + 7 + 7
    assert all(re.match(CASE_1_1_UUID, identifier) for identifier in identifiers)


def test_the_document_describes_the_version(published):
    document = export_case(published)["CFDocument"]

    assert document["identifier"] == str(published.document_uuid)
    assert document["uri"] == (
        f"http://testserver/ims/case/v1p1/CFPackages/{published.document_uuid}"
    )
    assert document["title"] == "Step 1"
    assert (document["caseVersion"], document["version"]) == ("1.1", "1.0")
    assert document["adoptionStatus"] == "Adopted"
    assert document["extensions"]["stepwise"] == {
        "achievedLabel": "Achieved",
        "ongoingLabel": "On going assessment",
        "minimumOptional": 0,
        "supernumeraryWeeks": 0,
        "learnerDeclaration": published.learner_declaration,
        "assessorDeclaration": published.assessor_declaration,
    }


def test_the_tree_is_items_and_ordered_is_child_of_associations(published):
    package = export_case(published)
    items = {item["identifier"]: item for item in package["CFItems"]}
    document_id = package["CFDocument"]["identifier"]

    tree = [
        (
            items[a["originNodeURI"]["identifier"]]["humanCodingScheme"],
            items[a["originNodeURI"]["identifier"]]["CFItemType"],
            a["destinationNodeURI"]["identifier"] == document_id
            or items[a["destinationNodeURI"]["identifier"]]["humanCodingScheme"],
            a["sequenceNumber"],
        )
        for a in package["CFAssociations"]
    ]
    assert all(a["associationType"] == "isChildOf" for a in package["CFAssociations"])
    assert tree == [
        ("1", "Section", True, 1),
        ("1.1", "Proficiency", "1", 1),
        ("1.2", "Proficiency", "1", 2),
        ("1.3", "Proficiency", "1", 3),
        ("2", "Section", True, 2),
        ("2.1", "Proficiency", "2", 1),
        ("2.2", "Proficiency", "2", 2),
    ]
    identity = {p.code: str(p.uuid) for p in published.proficiencies.all()}
    exported = {i["humanCodingScheme"]: i["identifier"] for i in package["CFItems"]}
    assert identity.items() <= exported.items()


def test_flags_guidance_and_hints_travel_losslessly(published):
    items = {i["humanCodingScheme"]: i for i in export_case(published)["CFItems"]}

    assert items["1.2"]["notes"] == "Closed circuit only."
    assert "notes" not in items["1.1"]
    assert items["1.1"]["extensions"]["stepwise"] == {
        "optional": False,
        "supernumerary": True,
        "evidenceHints": "",
    }
    assert items["1.3"]["extensions"]["stepwise"]["optional"] is True
    assert items["2.1"]["extensions"]["stepwise"]["evidenceHints"] == "A supervised recording."


def test_exporting_twice_gives_the_same_package(published):
    assert export_case_json(published) == export_case_json(published)


def test_an_export_costs_the_same_few_queries_whatever_its_size(
    framework_author, django_assert_max_num_queries
):
    spec = [
        (str(s), f"Section {s}", [(f"{s}.{p}", "Do it", {}) for p in range(40)])
        for s in range(1, 6)
    ]
    version = published_version(spec=spec, by=framework_author)
    version = FrameworkVersion.objects.select_related("framework").get(pk=version.pk)

    with django_assert_max_num_queries(2):
        export_case(version)


def _normalised(package: dict) -> dict:
    """What a round trip may change: the new document's identity, times and status."""
    package = copy.deepcopy(package)
    old_id = package["CFDocument"]["identifier"]
    text = json.dumps(package).replace(old_id, "DOCUMENT")
    package = json.loads(text)
    document = package["CFDocument"]
    for key in ("lastChangeDateTime", "adoptionStatus", "statusStartDate", "statusEndDate"):
        document.pop(key, None)
    for thing in [*package["CFItems"], *package["CFAssociations"]]:
        thing.pop("lastChangeDateTime")
    for association in package["CFAssociations"]:
        # Derived from the document's identifier, so new with it.
        association.pop("identifier")
        association.pop("uri")
    return package


def test_export_import_export_gives_the_same_package(published, framework_author):
    draft = version_draft(framework=published.framework, by=framework_author)
    version_update(
        version=draft, by=framework_author, minimum_optional=1, ongoing_label="Still learning"
    )
    section_add(version=draft, by=framework_author, code="3", title="Neurology – “empty”")
    proficiency_edit(
        proficiency=draft.proficiencies.get(code="2.2"),
        by=framework_author,
        code="2.2",
        statement="Measure CVP, safely",
        guidance="Line one\nLine two",
        optional=True,
        supernumerary=True,
        evidence_hints="Observation",
    )
    exported = export_case_json(draft)
    elsewhere = FrameworkFactory(created_by=framework_author, title="Step 1")

    reimported = import_file(
        framework=elsewhere, data=exported, filename="step-1.json", by=framework_author
    )

    assert reimported.label == "2.0"
    assert reimported.minimum_optional == 1
    assert _normalised(export_case(reimported)) == _normalised(json.loads(exported))


def _package(published) -> dict:
    return export_case(published)


def _problems(package) -> list[str]:
    data = package if isinstance(package, bytes) else json.dumps(package).encode()
    with pytest.raises(ImportInvalid) as error:
        read_case(data)
    return [str(problem) for problem in error.value.problems]


def test_it_reads_a_package_it_wrote(published):
    content = read_case(export_case_json(published))

    assert [s.code for s in content.sections] == ["1", "2"]
    assert [p.code for p in content.proficiencies] == ["1.1", "1.2", "1.3", "2.1", "2.2"]
    assert content.proficiencies[0].supernumerary is True
    assert (content.title, content.label) == ("Step 1", "1.0")


def test_it_reads_a_package_from_another_tool_without_our_extensions(published):
    package = _package(published)
    for item in package["CFItems"]:
        item.pop("extensions", None)
        item.pop("CFItemType")
    package["CFDocument"].pop("extensions")
    package["CFDocument"]["version"] = "Spring 2026"
    # Items listed out of order: sequenceNumber decides.
    package["CFAssociations"].reverse()

    content = read_case(json.dumps(package).encode())

    assert [p.code for p in content.proficiencies] == ["1.1", "1.2", "1.3", "2.1", "2.2"]
    assert not any(p.optional for p in content.proficiencies)
    assert (content.settings, content.label) == ({}, "")


def test_it_ignores_associations_that_do_not_shape_the_tree(published):
    package = _package(published)
    related = copy.deepcopy(package["CFAssociations"][1])
    related["associationType"] = "isRelatedTo"
    related["destinationNodeURI"] = {"title": "x", "identifier": "elsewhere", "uri": "urn:x"}
    package["CFAssociations"].append(related)

    assert len(read_case(json.dumps(package).encode()).proficiencies) == 5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'{"CFDocument": {',
            "The file is not valid JSON: Expecting property name enclosed in "
            "double quotes at line 1, column 17",
        ),
        (b"[1, 2]", "This is not a CASE CFPackage: it has no CFDocument"),
        (b'{"CFItems": []}', "This is not a CASE CFPackage: it has no CFDocument"),
        (
            b'{"CFDocument": {}, "CFItems": {}}',
            "This is not a CASE CFPackage: CFItems must be a list",
        ),
        (b"\xff\xfe{", "The file is not a CASE JSON file: its characters are not UTF-8"),
        (b"[" * 100_000, "The file is not a CASE package: its JSON nests too deeply"),
        (b"[" * 40 + b"]" * 40, "The file is not a CASE package: its JSON nests too deeply"),
    ],
    ids=[
        "malformed",
        "list",
        "no-document",
        "items-not-list",
        "not-utf8",
        "too-deep",
        "deeper-than-any-package",
    ],
)
def test_it_refuses_what_is_not_a_package(data, message):
    assert _problems(data) == [message]


def test_it_names_associations_pointing_at_missing_items(published):
    package = _package(published)
    package["CFItems"] = [i for i in package["CFItems"] if i["humanCodingScheme"] != "2"]

    found = _problems(package)

    # Section 2's link to the document, then its proficiencies' links to it, and so they hang
    # loose.
    assert found[0].startswith("CFAssociations[4]: Its originNodeURI points at")
    assert found[1].startswith("CFAssociations[5]: Its destinationNodeURI points at")
    assert found[2].startswith("CFAssociations[6]: Its destinationNodeURI points at")
    assert found[3:] == [
        "CFItems[4] (2.1): It is not linked into the framework by an isChildOf association",
        "CFItems[5] (2.2): It is not linked into the framework by an isChildOf association",
    ]


def test_it_finds_cycles(published):
    package = _package(published)
    items = {i["humanCodingScheme"]: i for i in package["CFItems"]}
    section = package["CFAssociations"][0]  # section 1 → document
    section["destinationNodeURI"] = {
        "title": "1.1",
        "identifier": items["1.1"]["identifier"],
        "uri": items["1.1"]["uri"],
    }

    found = _problems(package)

    assert len(found) == 1
    assert "go round in a circle" in found[0]
    assert "(1)" in found[0] and "(1.1)" in found[0]


def test_it_lists_duplicate_codes_items_without_parents_and_deep_nesting(published):
    package = _package(published)
    items = package["CFItems"]
    items[2]["humanCodingScheme"] = "1.1"  # the second proficiency reuses the first's code
    orphan = copy.deepcopy(items[1])
    orphan["identifier"] = "0b7e1f2c-5d6a-4e8b-a9c0-1d2e3f4a5b6c"
    orphan["humanCodingScheme"] = "9.9"
    items.append(orphan)

    assert _problems(package) == [
        "CFItems[7] (9.9): It is not linked into the framework by an isChildOf association",
    ]

    items.pop()
    grandchild = copy.deepcopy(package["CFAssociations"][1])
    grandchild["originNodeURI"] = {**grandchild["originNodeURI"]}
    grandchild["identifier"] = "1b7e1f2c-5d6a-4e8b-a9c0-1d2e3f4a5b6c"
    grandchild["originNodeURI"]["identifier"] = items[3]["identifier"]  # 1.3 under 1.1
    grandchild["destinationNodeURI"] = package["CFAssociations"][1]["originNodeURI"]
    package["CFAssociations"] = [
        a
        for a in package["CFAssociations"]
        if a["sequenceNumber"] != 3 or a["originNodeURI"]["identifier"] != items[3]["identifier"]
    ]
    package["CFAssociations"].append(grandchild)

    found = _problems(package)

    assert found == [
        "CFItems[1] (1.1): Items nest more than two levels deep here: Stepwise frameworks have "
        "sections holding proficiencies",
    ]


def test_it_lists_duplicate_codes(published):
    package = _package(published)
    package["CFItems"][2]["humanCodingScheme"] = "1.1"

    assert _problems(package) == [
        "CFItems[1] (1.1): Proficiency code 1.1 is used more than once",
        "CFItems[2] (1.1): Proficiency code 1.1 is used more than once",
    ]


def test_a_bad_identifier_is_reported_with_what_hangs_from_it(published):
    package = _package(published)
    package["CFItems"][1]["identifier"] = "NOT-A-UUID"

    found = _problems(package)

    assert found[0] == "CFItems[1] (1.1): The identifier 'NOT-A-UUID' is not an RFC 4122 UUID"
    assert found[1].startswith("CFAssociations[1]: Its originNodeURI points at ")
    assert len(found) == 2


def test_it_reports_field_problems_once_the_tree_is_sound(published):
    package = _package(published)
    items = package["CFItems"]
    items[2]["fullStatement"] = ""
    items[3]["extensions"]["stepwise"]["optional"] = "yes"
    items[4]["CFItemType"] = "Proficiency"
    package["CFDocument"]["extensions"]["stepwise"]["minimumOptional"] = -2

    assert _problems(package) == [
        "CFDocument extensions.stepwise.minimumOptional: The minimum number of optional "
        "proficiencies must be a whole number, 0 or more",
        "CFItems[2] (1.2): Enter the statement",
        "CFItems[3] (1.3): extensions.stepwise.optional must be true or false",
        "CFItems[4] (2): A proficiency must sit inside a section, not at the top",
    ]


def test_a_minimum_too_big_for_the_database_is_a_problem_not_a_crash(published, framework_author):
    package = _package(published)
    package["CFDocument"]["extensions"]["stepwise"]["minimumOptional"] = 10**20
    other = FrameworkFactory(created_by=framework_author)

    with pytest.raises(ImportInvalid) as error:
        import_file(
            framework=other,
            data=json.dumps(package).encode(),
            filename="x.json",
            by=framework_author,
        )

    assert [str(problem) for problem in error.value.problems] == [
        "CFDocument extensions.stepwise.minimumOptional: The minimum number of optional "
        "proficiencies must be 9,999 or fewer"
    ]
    assert not other.versions.exists()


def test_nothing_is_imported_from_a_bad_package(published, framework_author):
    package = _package(published)
    package["CFItems"][2]["fullStatement"] = ""
    other = FrameworkFactory(created_by=framework_author)

    with pytest.raises(ImportInvalid):
        import_file(
            framework=other,
            data=json.dumps(package).encode(),
            filename="x.json",
            by=framework_author,
        )

    assert not other.versions.exists()


def test_a_json_file_is_read_as_case_whatever_its_name(published):
    assert len(read_file(export_case_json(published), "upload").proficiencies) == 5

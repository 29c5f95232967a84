"""1EdTech CASE 1.1: a framework version as a CFPackage (case_reading.py reads one back).

The version is the CFDocument (its identifier is the version's document UUID); sections and
proficiencies are CFItems (CFItemType "Section" and "Proficiency", humanCodingScheme = code);
the tree is isChildOf CFAssociations with sequenceNumber (proficiency → section → document).
Nothing is lost: guidance travels in the item's `notes`, and what CASE has no property for
(flags, evidence hints, response scale, declarations) travels inside `extensions`, the only
place CASE 1.1 allows properties of our own.
"""

import json
import uuid
from datetime import UTC

from django.conf import settings
from django.urls import reverse

from stepwise.frameworks.exchange.content import content_of
from stepwise.frameworks.models import FrameworkVersion

CASE_VERSION = "1.1"
EXTENSION = "stepwise"
SECTION_TYPE = "Section"
PROFICIENCY_TYPE = "Proficiency"
ADOPTION_STATUS = {
    FrameworkVersion.State.DRAFT: "Private Draft",
    FrameworkVersion.State.IN_REVIEW: "Draft",
    FrameworkVersion.State.PUBLISHED: "Adopted",
    FrameworkVersion.State.RETIRED: "Deprecated",
}
# Version settings in the CFDocument's extensions, by their CASE-style name.
DOCUMENT_EXTENSIONS = {
    "achievedLabel": "achieved_label",
    "ongoingLabel": "ongoing_label",
    "minimumOptional": "minimum_optional",
    "supernumeraryWeeks": "supernumerary_weeks",
    "learnerDeclaration": "learner_declaration",
    "assessorDeclaration": "assessor_declaration",
}
# Association identifiers are derived (UUID version 5, RFC 4122 variant), so exporting the same
# version twice gives the same package.
ASSOCIATION_NAMESPACE = uuid.UUID("6f1c8e52-3b7d-4c1e-9a55-0d2b8f4e7a13")


def package_url(version: FrameworkVersion) -> str:
    path = reverse("frameworks:case_package", args=[version.document_uuid])
    return f"{settings.SITE_URL}{path}"


def _when(value) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _node(item: dict, title: str) -> dict:
    return {"title": title, "identifier": item["identifier"], "uri": item["uri"]}


def _child_of(*, document_id, child, parent, sequence, changed) -> dict:
    identifier = str(
        uuid.uuid5(
            ASSOCIATION_NAMESPACE, f"{document_id}/{child['identifier']}/{parent['identifier']}"
        )
    )
    return {
        "identifier": identifier,
        "associationType": "isChildOf",
        "sequenceNumber": sequence,
        "uri": f"urn:uuid:{identifier}",
        "originNodeURI": child,
        "destinationNodeURI": parent,
        "lastChangeDateTime": changed,
    }


def export_case(version: FrameworkVersion) -> dict:
    """The version as a CFPackage dict (json.dumps it). Three queries."""
    framework = version.framework
    content = content_of(version)
    document_id = str(version.document_uuid)
    changed = _when(version.changed_at)
    document = {
        "identifier": document_id,
        "uri": package_url(version),
        "creator": getattr(settings, "STEPWISE_CASE_CREATOR", "Stepwise"),
        "title": framework.title,
        "lastChangeDateTime": changed,
        "caseVersion": CASE_VERSION,
        "version": version.label,
        "adoptionStatus": ADOPTION_STATUS[version.state],
        "language": "en",
    }
    if framework.description:
        document["description"] = framework.description
    if version.published_at:
        document["statusStartDate"] = _when(version.published_at)
    if version.retired_at:
        document["statusEndDate"] = _when(version.retired_at)
    document["extensions"] = {
        EXTENSION: {name: getattr(version, field) for name, field in DOCUMENT_EXTENSIONS.items()}
    }
    document_node = {"title": framework.title, "identifier": document_id, "uri": document["uri"]}

    items, associations = [], []
    for section_number, section in enumerate(content.sections, start=1):
        section_item = {
            "identifier": str(section.uuid),
            "fullStatement": section.title,
            "CFItemType": SECTION_TYPE,
            "humanCodingScheme": section.code,
            "uri": f"urn:uuid:{section.uuid}",
            "lastChangeDateTime": changed,
        }
        items.append(section_item)
        associations.append(
            _child_of(
                document_id=document_id,
                child=_node(section_item, section.title),
                parent=document_node,
                sequence=section_number,
                changed=changed,
            )
        )
        section_node = _node(section_item, section.title)
        for number, proficiency in enumerate(section.proficiencies, start=1):
            item = {
                "identifier": str(proficiency.uuid),
                "fullStatement": proficiency.statement,
                "CFItemType": PROFICIENCY_TYPE,
                "humanCodingScheme": proficiency.code,
                "uri": f"urn:uuid:{proficiency.uuid}",
                "lastChangeDateTime": changed,
            }
            if proficiency.guidance:
                item["notes"] = proficiency.guidance
            item["extensions"] = {
                EXTENSION: {
                    "optional": proficiency.optional,
                    "supernumerary": proficiency.supernumerary,
                    "evidenceHints": proficiency.evidence_hints,
                }
            }
            items.append(item)
            associations.append(
                _child_of(
                    document_id=document_id,
                    child=_node(item, proficiency.code),
                    parent=section_node,
                    sequence=number,
                    changed=changed,
                )
            )
    return {"CFDocument": document, "CFItems": items, "CFAssociations": associations}


def export_case_json(version: FrameworkVersion) -> bytes:
    return json.dumps(export_case(version), ensure_ascii=False, indent=2).encode("utf-8")

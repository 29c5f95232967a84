"""The CASE schemas the exports are checked against, from frameworks/standards (copied unchanged).

1EdTech publishes a JSON Schema for CASE 1.0 only. The 1.1 rules we check are that schema made
stricter where 1.1 is stricter (frameworks/standards/README.md): lower-case RFC 4122
identifiers, and no properties beyond the specification's except inside `extensions`.
"""

import copy
import json
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from jsonschema import Draft7Validator, FormatChecker

STANDARDS = Path(settings.BASE_DIR) / "stepwise" / "frameworks" / "standards"
CASE_1_1_UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[8-9a-b][0-9a-f]{3}-[0-9a-f]{12}$"
ASSOCIATION_TYPES = [
    "isChildOf",
    "isPeerOf",
    "isPartOf",
    "exactMatchOf",
    "precedes",
    "isRelatedTo",
    "replacedBy",
    "exemplar",
    "hasSkillLevel",
    "isTranslationOf",
]


@cache
def case_1_0_schema() -> dict:
    return json.loads((STANDARDS / "case-v1p0-cfpackage.schema.json").read_text())


@cache
def case_1_1_schema() -> dict:
    schema = copy.deepcopy(case_1_0_schema())
    definitions = schema["definitions"]
    definitions["UUID"] = {"type": "string", "pattern": CASE_1_1_UUID}
    extensions = {"type": "object"}
    link = {"$ref": "#/definitions/LinkURI"}

    document = definitions["CFPackageDocument"]
    document["properties"].update(
        caseVersion={"type": "string", "enum": ["1.1"]},
        frameworkType={"type": "string"},
        CFPackageURI=link,
        extensions=extensions,
    )
    item = definitions["CFPackageItem"]
    item["properties"].update(
        CFDocumentURI=link,
        subject={"type": "array", "items": {"type": "string"}},
        subjectURI={"type": "array", "items": link},
        extensions=extensions,
    )
    association = definitions["CFPackageAssociation"]
    association["properties"].update(
        CFDocumentURI=link, notes={"type": "string"}, extensions=extensions
    )
    association["properties"]["associationType"] = {
        "anyOf": [
            {"type": "string", "enum": ASSOCIATION_TYPES},
            {"type": "string", "pattern": "^ext:.+$"},
        ]
    }
    for definition in (document, item, association):
        definition["additionalProperties"] = False
    return schema


def case_problems(package: dict) -> list[str]:
    """Every way the package breaks CASE 1.0's schema, the 1.1 rules, or its formats."""
    found = []
    for name, schema in (("1.0", case_1_0_schema()), ("1.1", case_1_1_schema())):
        # The schema's oneOf between "date" and "date-time" only works with formats checked.
        validator = Draft7Validator(schema, format_checker=FormatChecker())
        for error in validator.iter_errors(package):
            found.append(f"CASE {name}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
    # jsonschema checks formats only with optional packages; check the ones CASE uses here.
    things = [package["CFDocument"], *package.get("CFItems", [])]
    things += package.get("CFAssociations", [])
    for thing in things:
        for key in ("lastChangeDateTime", "statusStartDate", "statusEndDate"):
            if key in thing:
                datetime.fromisoformat(thing[key].replace("Z", "+00:00"))
        uris = [thing["uri"]] + [
            thing[key]["uri"] for key in ("originNodeURI", "destinationNodeURI") if key in thing
        ]
        for uri in uris:
            if not urlparse(uri).scheme:
                found.append(f"{thing['identifier']}: {uri} is not an absolute URI")
    return found

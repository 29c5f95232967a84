"""Reading a CASE 1.1 CFPackage into a framework version's content, checking it all first.

The tree comes from the isChildOf associations, not from CFItemType, so packages written by other
tools read too: items under the document are sections, items under those are proficiencies.
Problems are reported in stages: a package that is not a tree cannot be walked, so its shape is
checked (and reported) before its fields.
"""

import json
import uuid
from collections import defaultdict

from django.core.exceptions import ValidationError

from stepwise.core.json_input import NestedTooDeeply, load_json
from stepwise.frameworks import rules
from stepwise.frameworks.exchange.case import (
    DOCUMENT_EXTENSIONS,
    EXTENSION,
    PROFICIENCY_TYPE,
    SECTION_TYPE,
)
from stepwise.frameworks.exchange.content import (
    FrameworkContent,
    ProficiencyData,
    SectionData,
    check_content,
)
from stepwise.frameworks.exchange.problems import ImportInvalid, Problem
from stepwise.frameworks.models import TITLE_MAX


def _invalid(message: str) -> ImportInvalid:
    return ImportInvalid([Problem(message)])


def _load(data: bytes):
    try:
        package = load_json(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise _invalid("The file is not a CASE JSON file: its characters are not UTF-8") from None
    except json.JSONDecodeError as error:
        raise _invalid(
            f"The file is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except NestedTooDeeply:
        raise _invalid("The file is not a CASE package: its JSON nests too deeply") from None
    if not isinstance(package, dict) or not isinstance(package.get("CFDocument"), dict):
        raise _invalid("This is not a CASE CFPackage: it has no CFDocument")
    for key in ("CFItems", "CFAssociations"):
        if not isinstance(package.get(key, []), list):
            raise _invalid(f"This is not a CASE CFPackage: {key} must be a list")
    return package


def _identifier(value, where: str, problems: list[Problem]) -> str | None:
    text = value.strip().lower() if isinstance(value, str) else ""
    if not rules.CASE_UUID.match(text):
        problems.append(Problem(f"The identifier {value!r} is not an RFC 4122 UUID", column=where))
        return None
    return text


def _node_identifier(value) -> str:
    if isinstance(value, dict) and isinstance(value.get("identifier"), str):
        return value["identifier"].strip().lower()
    return ""


class _Tree:
    """The package's items and their isChildOf links, checked: one parent each, no cycles."""

    def __init__(self, package: dict, problems: list[Problem]):
        self.problems = problems
        self.document_id = _identifier(
            package["CFDocument"].get("identifier"), "CFDocument", problems
        )
        self.items: dict[str, tuple[dict, str]] = {}
        for index, item in enumerate(package.get("CFItems", [])):
            self._add_item(index, item)
        self.parent: dict[str, tuple[str, float, int]] = {}
        for index, association in enumerate(package.get("CFAssociations", [])):
            self._add_association(index, association)
        self._check_reachable()
        self.kids = defaultdict(list)
        for child, (parent, order, index) in self.parent.items():
            self.kids[parent].append((order, index, child))

    def where(self, identifier: str) -> str:
        return self.items[identifier][1]

    def _add_item(self, index, item):
        where = f"CFItems[{index}]"
        if not isinstance(item, dict):
            self.problems.append(Problem("Each CFItem must be a JSON object", column=where))
            return
        if isinstance(item.get("humanCodingScheme"), str):
            where += f" ({item['humanCodingScheme']})"
        identifier = _identifier(item.get("identifier"), where, self.problems)
        if identifier is None:
            return
        if identifier in self.items or identifier == self.document_id:
            self.problems.append(
                Problem(f"The identifier {identifier} is used more than once", column=where)
            )
            return
        self.items[identifier] = (item, where)

    def _add_association(self, index, association):
        where = f"CFAssociations[{index}]"
        if not isinstance(association, dict):
            self.problems.append(Problem("Each CFAssociation must be a JSON object", column=where))
            return
        if association.get("associationType") != "isChildOf":
            return  # other kinds of link (isRelatedTo, exemplar, ...) do not shape the framework
        origin = _node_identifier(association.get("originNodeURI"))
        destination = _node_identifier(association.get("destinationNodeURI"))
        if origin not in self.items:
            self.problems.append(
                Problem(
                    f"Its originNodeURI points at {origin or 'nothing'}, "
                    "which is not an item in this package",
                    column=where,
                )
            )
            return
        if destination != self.document_id and destination not in self.items:
            self.problems.append(
                Problem(
                    f"Its destinationNodeURI points at {destination or 'nothing'}, "
                    "which is not in this package",
                    column=where,
                )
            )
            return
        sequence = association.get("sequenceNumber")
        if sequence is not None and (isinstance(sequence, bool) or not isinstance(sequence, int)):
            self.problems.append(Problem("Its sequenceNumber must be a number", column=where))
            return
        if origin in self.parent and self.parent[origin][0] != destination:
            self.problems.append(
                Problem("It is the child of more than one item", column=self.where(origin))
            )
            return
        order = float("inf") if sequence is None else sequence
        self.parent[origin] = (destination, order, index)

    def _check_reachable(self):
        reported = set()
        for identifier in self.items:
            if identifier not in self.parent:
                self.problems.append(
                    Problem(
                        "It is not linked into the framework by an isChildOf association",
                        column=self.where(identifier),
                    )
                )
                continue
            path, node = [], identifier
            while node != self.document_id and node in self.parent:
                if node in path:
                    cycle = path[path.index(node) :]
                    if not reported.intersection(cycle):
                        reported.update(cycle)
                        self.problems.append(
                            Problem(
                                "Its isChildOf associations go round in a circle: "
                                + " → ".join(self.where(n) for n in [*cycle, node]),
                                column=self.where(node),
                            )
                        )
                    break
                path.append(node)
                node = self.parent[node][0]

    def children(self, parent_id: str) -> list[str]:
        """In sequenceNumber order; without one, after the numbered ones, in file order."""
        return [child for _order, _index, child in sorted(self.kids.get(parent_id, []))]


def _field(problems, where, check):
    try:
        return check()
    except ValidationError as error:
        problems.extend(Problem(message, column=where) for message in error.messages)
        return None


def _extensions(thing: dict, where: str, problems: list[Problem]) -> dict:
    extensions = thing.get("extensions", {})
    ours = extensions.get(EXTENSION, {}) if isinstance(extensions, dict) else None
    if not isinstance(ours, dict):
        problems.append(Problem(f"extensions.{EXTENSION} must be a JSON object", column=where))
        return {}
    return ours


def _string(value) -> str:
    return value if isinstance(value, str) else ""


def _section(tree, identifier, problems) -> SectionData | None:
    item, where = tree.items[identifier]
    if item.get("CFItemType") == PROFICIENCY_TYPE:
        problems.append(
            Problem("A proficiency must sit inside a section, not at the top", column=where)
        )
        return None
    code = _field(
        problems,
        where,
        lambda: rules.clean_code(
            item.get("humanCodingScheme"), what="humanCodingScheme (section code)"
        ),
    )
    title = _field(
        problems, where, lambda: rules.clean_section_title(_string(item.get("fullStatement")))
    )
    section = SectionData(code=code, title=title, uuid=uuid.UUID(identifier), where=where)
    for child in tree.children(identifier):
        proficiency = _proficiency(tree, child, problems)
        if proficiency is not None:
            section.proficiencies.append(proficiency)
    return section if code and title else None


def _proficiency(tree, identifier, problems) -> ProficiencyData | None:
    item, where = tree.items[identifier]
    if item.get("CFItemType") == SECTION_TYPE:
        problems.append(Problem("A section cannot sit inside another section", column=where))
        return None
    if tree.children(identifier):
        problems.append(
            Problem(
                "Items nest more than two levels deep here: Stepwise frameworks have sections "
                "holding proficiencies",
                column=where,
            )
        )
        return None
    before = len(problems)
    ours = _extensions(item, where, problems)
    fields = {
        "code": _field(
            problems,
            where,
            lambda: rules.clean_code(
                item.get("humanCodingScheme"), what="humanCodingScheme (proficiency code)"
            ),
        ),
        "statement": _field(
            problems, where, lambda: rules.clean_statement(_string(item.get("fullStatement")))
        ),
        "guidance": _field(
            problems, where, lambda: rules.clean_guidance(_string(item.get("notes")))
        ),
        "evidence_hints": _field(
            problems, where, lambda: rules.clean_evidence_hints(_string(ours.get("evidenceHints")))
        ),
        "optional": _field(problems, where, lambda: _flag(ours.get("optional", False), "optional")),
        "supernumerary": _field(
            problems, where, lambda: _flag(ours.get("supernumerary", False), "supernumerary")
        ),
    }
    if len(problems) > before:
        return None
    return ProficiencyData(**fields, uuid=uuid.UUID(identifier), where=where)


def _flag(value, name):
    if not isinstance(value, bool):
        raise ValidationError(f"extensions.{EXTENSION}.{name} must be true or false")
    return value


def _document(package, problems) -> dict:
    document = package["CFDocument"]
    where = "CFDocument"
    title = _field(
        problems,
        where,
        lambda: rules.clean_text(
            _string(document.get("title")), what="title", max_length=TITLE_MAX, required=True
        ),
    )
    description = _field(
        problems,
        where,
        lambda: rules.clean_text(
            _string(document.get("description")), what="description", max_length=5000
        ),
    )
    settings_found = {}
    ours = _extensions(document, where, problems)
    for name, field in DOCUMENT_EXTENSIONS.items():
        if name in ours:
            value = _field(
                problems,
                f"{where} extensions.{EXTENSION}.{name}",
                lambda v=ours[name], f=field: rules.SETTING_RULES[f](v),
            )
            if value is not None:
                settings_found[field] = value
    label = document.get("version")
    try:
        label = rules.clean_label(label) if isinstance(label, str) else ""
    except ValidationError:
        label = ""  # our label is only a convenience; an unusual one gets the next number
    return {
        "title": title or "",
        "description": description or "",
        "label": label,
        "settings": settings_found,
    }


def read_case(data: bytes) -> FrameworkContent:
    """Read and check a whole CFPackage; ImportInvalid lists every problem found."""
    package = _load(data)
    problems: list[Problem] = []
    tree = _Tree(package, problems)
    if problems:
        raise ImportInvalid(problems)  # a broken tree cannot be walked
    document = _document(package, problems)
    sections = [
        _section(tree, identifier, problems) for identifier in tree.children(tree.document_id)
    ]
    content = FrameworkContent(sections=[s for s in sections if s is not None], **document)
    problems.extend(check_content(content, require_proficiencies=not problems))
    if problems:
        raise ImportInvalid(problems)
    return content

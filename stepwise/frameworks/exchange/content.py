"""A framework version's content as plain data: what every reader produces and every writer takes.

Readers (CSV, XLSX, CASE) check each cell as they go; `check_content` then checks what only the
whole file can show (duplicates), so a person sees every problem at once.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from uuid import UUID

from stepwise.frameworks.exchange.problems import Problem
from stepwise.frameworks.models import FrameworkVersion

# Version settings a file may carry (CASE does; spreadsheets leave them to the authoring pages).
VERSION_SETTINGS = (
    "achieved_label",
    "ongoing_label",
    "minimum_optional",
    "supernumerary_weeks",
    "learner_declaration",
    "assessor_declaration",
)

PROFICIENCY_FIELDS = (
    "code",
    "statement",
    "guidance",
    "optional",
    "supernumerary",
    "evidence_hints",
)


@dataclass
class ProficiencyData:
    code: str
    statement: str
    guidance: str = ""
    optional: bool = False
    supernumerary: bool = False
    evidence_hints: str = ""
    uuid: UUID | None = None
    row: int | None = None  # where it came from, for messages
    where: str | None = None


@dataclass
class SectionData:
    code: str
    title: str
    uuid: UUID | None = None
    proficiencies: list[ProficiencyData] = field(default_factory=list)
    row: int | None = None
    where: str | None = None


@dataclass
class FrameworkContent:
    sections: list[SectionData] = field(default_factory=list)
    title: str = ""
    description: str = ""
    label: str = ""
    settings: dict = field(default_factory=dict)

    @property
    def proficiencies(self) -> list[ProficiencyData]:
        return [p for section in self.sections for p in section.proficiencies]


def content_of(version: FrameworkVersion) -> FrameworkContent:
    """Two queries, whatever the size of the framework."""
    by_section = defaultdict(list)
    for proficiency in version.proficiencies.order_by("position", "pk"):
        by_section[proficiency.section_id].append(
            ProficiencyData(
                code=proficiency.code,
                statement=proficiency.statement,
                guidance=proficiency.guidance,
                optional=proficiency.optional,
                supernumerary=proficiency.supernumerary,
                evidence_hints=proficiency.evidence_hints,
                uuid=proficiency.uuid,
            )
        )
    return FrameworkContent(
        sections=[
            SectionData(
                code=section.code,
                title=section.title,
                uuid=section.uuid,
                proficiencies=by_section[section.pk],
            )
            for section in version.sections.order_by("position", "pk")
        ],
        title=version.framework.title,
        description=version.framework.description,
        label=version.label,
        settings={name: getattr(version, name) for name in VERSION_SETTINGS},
    )


def _problem(thing, column: str, message: str) -> Problem:
    return Problem(message, row=thing.row, column=thing.where or column)


def check_content(content: FrameworkContent, *, require_proficiencies=True) -> list[Problem]:
    """Problems only the whole file shows: duplicate codes and identifiers, nothing to import."""
    problems = []
    if require_proficiencies and not content.proficiencies:
        problems.append(Problem("The file has no proficiencies to import"))

    section_codes = Counter(section.code for section in content.sections)
    for section in content.sections:
        if section_codes[section.code] > 1:
            problems.append(
                _problem(section, "section_code", f"Section {section.code} appears more than once")
            )

    codes = Counter(p.code for p in content.proficiencies)
    for proficiency in content.proficiencies:
        if codes[proficiency.code] > 1:
            problems.append(
                _problem(
                    proficiency,
                    "proficiency_code",
                    f"Proficiency code {proficiency.code} is used more than once",
                )
            )

    # CASE needs every identifier in a package to be unique, sections and proficiencies alike.
    things = [*content.sections, *content.proficiencies]
    uuids = Counter(thing.uuid for thing in things if thing.uuid is not None)
    for thing in things:
        if thing.uuid is not None and uuids[thing.uuid] > 1:
            column = "proficiency_uuid" if isinstance(thing, ProficiencyData) else "section_uuid"
            problems.append(
                _problem(thing, column, f"The UUID {thing.uuid} is used more than once")
            )
    return problems

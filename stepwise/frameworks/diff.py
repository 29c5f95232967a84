"""What changed between two versions of a framework, proficiency by proficiency.

Proficiencies are matched by UUID (their identity across versions), never by code: a code can be
renumbered while the proficiency stays the same, and a reused code can mean something new.
Moving learners to a new version reads this: results carry over for proficiencies whose
statement did not change; changed and added ones need assessing again.
"""

import difflib
import re
from dataclasses import dataclass, field

from stepwise.frameworks.models import FrameworkVersion, Proficiency

# Compared field by field; "section" compares the section's identity (UUID), not its position.
CONTENT_FIELDS = ("code", "statement", "guidance", "optional", "supernumerary", "evidence_hints")
# A word with the space after it, so a changed word is marked without its neighbours.
_WORDS = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class ProficiencyChange:
    old: Proficiency
    new: Proficiency
    fields: tuple[str, ...]

    @property
    def statement_changed(self) -> bool:
        return "statement" in self.fields


@dataclass
class VersionDiff:
    unchanged: list[tuple[Proficiency, Proficiency]] = field(default_factory=list)
    changed: list[ProficiencyChange] = field(default_factory=list)
    added: list[Proficiency] = field(default_factory=list)
    removed: list[Proficiency] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.changed or self.added or self.removed)


def _proficiencies(version: FrameworkVersion) -> list[Proficiency]:
    return list(
        version.proficiencies.select_related("section").order_by("section__position", "position")
    )


def version_diff(old: FrameworkVersion, new: FrameworkVersion) -> VersionDiff:
    """Two queries whatever the size. Lists follow the order of the version they come from."""
    before = {p.uuid: p for p in _proficiencies(old)}
    diff = VersionDiff()
    matched = set()
    for proficiency in _proficiencies(new):
        previous = before.get(proficiency.uuid)
        if previous is None:
            diff.added.append(proficiency)
            continue
        matched.add(proficiency.uuid)
        fields = [
            name for name in CONTENT_FIELDS if getattr(previous, name) != getattr(proficiency, name)
        ]
        if previous.section.uuid != proficiency.section.uuid:
            fields.append("section")
        if fields:
            diff.changed.append(ProficiencyChange(previous, proficiency, tuple(fields)))
        else:
            diff.unchanged.append((previous, proficiency))
    diff.removed = [p for key, p in before.items() if key not in matched]
    return diff


def word_changes(before: str, after: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Two texts as runs of ("same" | "removed" | "added", text), word by word: the runs of
    `before` (same and removed) and of `after` (same and added)."""
    old_words, new_words = _WORDS.findall(before), _WORDS.findall(after)
    # Compared without their spaces, so the last word (with none after it) still matches.
    matcher = difflib.SequenceMatcher(
        None, [w.rstrip() for w in old_words], [w.rstrip() for w in new_words], autojunk=False
    )
    old_runs, new_runs = [], []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        old_text, new_text = "".join(old_words[i1:i2]), "".join(new_words[j1:j2])
        if operation == "equal":
            old_runs.append(("same", old_text))
            new_runs.append(("same", new_text))
            continue
        if old_text:
            old_runs.append(("removed", old_text))
        if new_text:
            new_runs.append(("added", new_text))
    return _merged(old_runs), _merged(new_runs)


def _merged(runs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    merged: list[tuple[str, str]] = []
    for kind, text in runs:
        if merged and merged[-1][0] == kind:
            merged[-1] = (kind, merged[-1][1] + text)
        else:
            merged.append((kind, text))
    return merged

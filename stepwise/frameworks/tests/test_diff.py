from stepwise.frameworks.diff import version_diff, word_changes
from stepwise.frameworks.services import (
    proficiency_add,
    proficiency_edit,
    proficiency_move,
    proficiency_remove,
    section_add,
    version_draft,
)


def test_two_copies_of_a_version_are_all_unchanged(published, framework_author):
    new = version_draft(framework=published.framework, by=framework_author)

    diff = version_diff(published, new)

    assert [(old.code, new.code) for old, new in diff.unchanged] == [
        ("1.1", "1.1"),
        ("1.2", "1.2"),
        ("1.3", "1.3"),
        ("2.1", "2.1"),
        ("2.2", "2.2"),
    ]
    assert not diff.has_changes


def test_it_sorts_proficiencies_into_unchanged_changed_added_and_removed(
    published, framework_author
):
    new = version_draft(framework=published.framework, by=framework_author)
    by = framework_author

    def edit(current_code, **changes):
        proficiency = new.proficiencies.get(code=current_code)
        fields = {
            name: getattr(proficiency, name)
            for name in ("code", "statement", "guidance", "optional", "supernumerary")
        }
        fields["evidence_hints"] = proficiency.evidence_hints
        proficiency_edit(proficiency=proficiency, by=by, **{**fields, **changes})

    edit("1.2", statement="Perform closed endotracheal suctioning")
    edit("1.3", optional=False, guidance="Heated humidification only.")
    edit("2.1", code="2.10")  # renumbered: the same proficiency, matched by UUID
    proficiency_remove(proficiency=new.proficiencies.get(code="2.2"), by=by)
    neuro = section_add(version=new, by=by, code="3", title="Neurology")
    proficiency_add(section=neuro, by=by, code="3.1", statement="Assess pupils")
    edit("1.1", section=neuro, code="3.2")  # moved to another section
    # Reordering within a section is not a change to the proficiency.
    proficiency_move(proficiency=new.proficiencies.get(code="1.3"), by=by, direction="up")

    diff = version_diff(published, new)

    assert [(old.code, new.code) for old, new in diff.unchanged] == []
    changed = {change.old.code: change.fields for change in diff.changed}
    assert changed == {
        "1.1": ("code", "section"),
        "1.2": ("statement",),
        "1.3": ("guidance", "optional"),
        "2.1": ("code",),
    }
    assert [c.old.code for c in diff.changed if c.statement_changed] == ["1.2"]
    assert [p.code for p in diff.added] == ["3.1"]
    assert [p.code for p in diff.removed] == ["2.2"]
    assert diff.has_changes


def test_it_reads_each_version_once(published, framework_author, django_assert_num_queries):
    new = version_draft(framework=published.framework, by=framework_author)

    with django_assert_num_queries(2):
        version_diff(published, new)


def test_word_changes_keep_unchanged_words_together():
    before, after = word_changes("Describe the anatomy of the airway", "Describe the upper airway")

    assert before == [("same", "Describe the "), ("removed", "anatomy of the "), ("same", "airway")]
    assert after == [("same", "Describe the "), ("added", "upper "), ("same", "airway")]


def test_word_changes_match_the_last_word_without_its_space():
    before, after = word_changes("Perform suction", "Perform suction safely")

    assert before == [("same", "Perform suction")]
    assert after == [("same", "Perform suction "), ("added", "safely")]


def test_word_changes_of_texts_with_nothing_in_common():
    before, after = word_changes("Suction", "Humidify")

    assert (before, after) == ([("removed", "Suction")], [("added", "Humidify")])
    assert word_changes("", "") == ([], [])

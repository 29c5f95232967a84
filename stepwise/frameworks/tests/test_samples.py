import json

import pytest

from stepwise.frameworks.exchange.problems import ImportInvalid
from stepwise.frameworks.exchange.spreadsheet import COLUMNS
from stepwise.frameworks.models import Framework, FrameworkVersion
from stepwise.frameworks.samples import load_samples

CSV = (
    ",".join(COLUMNS)
    + "\n"
    + (
        "1,Respiratory,1.1,Describe the airway,,no,yes,,\n"
        "1,,1.2,Perform suctioning,Closed circuit.,yes,no,,\n"
        "2,Cardiovascular,2.1,Record a 12-lead ECG,,yes,no,A supervised recording,\n"
    )
)


@pytest.fixture
def samples(tmp_path):
    (tmp_path / "step-1.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "step-2.csv").write_text(CSV.replace("Respiratory", "Airway"), encoding="utf-8")
    entries = [
        {
            "slug": "step-1",
            "title": "Step 1",
            "description": "For nurses new to critical care.",
            "version_label": "2024",
            "file": "step-1.csv",
            "minimum_optional": 1,
            "learner_declaration": "I declare it.",
            "assessor_declaration": "I confirm it.",
        },
        {"slug": "step-2", "title": "Step 2", "version_label": "1.0", "file": "step-2.csv"},
    ]
    (tmp_path / "samples.json").write_text(json.dumps(entries), encoding="utf-8")
    return tmp_path


def test_it_publishes_each_sample_through_the_importer(samples, framework_author):
    published = load_samples(by=framework_author, data_dir=samples)

    assert [str(version) for version in published] == [
        "Step 1 version 2024",
        "Step 2 version 1.0",
    ]
    step_1 = published[0]
    assert step_1.state == FrameworkVersion.State.PUBLISHED
    assert step_1.published_by == framework_author
    assert (step_1.minimum_optional, step_1.learner_declaration) == (1, "I declare it.")
    assert step_1.framework.description == "For nurses new to critical care."
    assert step_1.proficiencies.count() == 3
    assert list(step_1.events.values_list("kind", flat=True)) == [
        "imported",
        "settings_changed",
        "submitted",
        "approved",
        "published",
    ]


def test_loading_twice_changes_nothing(samples, framework_author):
    load_samples(by=framework_author, data_dir=samples)

    assert load_samples(by=framework_author, data_dir=samples) == []
    assert FrameworkVersion.objects.count() == 2


def test_a_bad_sample_leaves_nothing_half_made(samples, framework_author):
    (samples / "step-2.csv").write_text(CSV + "2,,2.2,,,,,,\n", encoding="utf-8")

    with pytest.raises(ImportInvalid, match="Row 5, statement: Enter the statement"):
        load_samples(by=framework_author, data_dir=samples)

    assert list(Framework.objects.values_list("slug", flat=True)) == ["step-1"]


def test_it_explains_a_sample_missing_its_file_name(tmp_path, framework_author):
    (tmp_path / "samples.json").write_text(json.dumps([{"slug": "x", "title": "X"}]))

    with pytest.raises(ValueError, match="Sample 1 in samples.json lacks version_label, file"):
        load_samples(by=framework_author, data_dir=tmp_path)


def test_the_bundled_samples_load_and_publish(framework_author):
    published = load_samples(by=framework_author)

    assert published, "stepwise/frameworks/data/samples.json lists no frameworks"
    assert all(version.state == FrameworkVersion.State.PUBLISHED for version in published)
    assert all(version.proficiencies.exists() for version in published)

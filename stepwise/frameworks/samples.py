"""Sample frameworks for demos and new installations, loaded through the same importer people use.

`data/samples.json` lists them: slug, title, description, version_label, file (a CSV beside it),
minimum_optional, supernumerary_weeks, learner_declaration and assessor_declaration. Loading is
idempotent: a framework that already has a published version is left alone.
"""

import json
from pathlib import Path

from django.db import transaction

from stepwise.frameworks.exchange.files import import_file
from stepwise.frameworks.models import Framework, FrameworkVersion
from stepwise.frameworks.services import (
    framework_create,
    version_approve,
    version_publish,
    version_submit_for_review,
    version_update,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
REQUIRED = ("slug", "title", "version_label", "file")
SETTINGS = (
    "minimum_optional",
    "supernumerary_weeks",
    "learner_declaration",
    "assessor_declaration",
)


def _entries(folder: Path) -> list[dict]:
    entries = json.loads((folder / "samples.json").read_text(encoding="utf-8"))
    if not isinstance(entries, list):
        raise ValueError(f"{folder / 'samples.json'} must hold a list of frameworks")
    for number, entry in enumerate(entries, start=1):
        missing = [key for key in REQUIRED if not isinstance(entry, dict) or key not in entry]
        if missing:
            raise ValueError(f"Sample {number} in samples.json lacks {', '.join(missing)}")
    return entries


def load_samples(*, by, data_dir: Path | str | None = None) -> list[FrameworkVersion]:
    """Import, review and publish each sample not yet published. Returns what it published."""
    folder = Path(data_dir) if data_dir else DATA_DIR
    published = []
    for entry in _entries(folder):
        framework = Framework.objects.filter(slug=entry["slug"]).first()
        if framework and framework.versions.filter(state=FrameworkVersion.State.PUBLISHED).exists():
            continue
        # All or nothing per framework: a bad file leaves no half-made framework behind.
        with transaction.atomic():
            if framework is None:
                framework = framework_create(
                    slug=entry["slug"],
                    title=entry["title"],
                    description=entry.get("description", ""),
                    by=by,
                )
            version = import_file(
                framework=framework,
                data=(folder / entry["file"]).read_bytes(),
                filename=entry["file"],
                by=by,
                label=entry["version_label"],
            )
            settings = {name: entry[name] for name in SETTINGS if name in entry}
            if settings:
                version_update(version=version, by=by, **settings)
            version_submit_for_review(version=version, by=by, note="Sample framework")
            version_approve(version=version, by=by, note="Sample framework")
            published.append(version_publish(version=version, by=by))
    return published

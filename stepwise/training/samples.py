"""Sample training packages for demos: one per role for the sample Step 1, each ending with
the user guide for that role. Sample text written for Stepwise, not CC3N's.

`data/packages.json` lists them; each page is a Markdown file beside it whose first line,
"# Title", is the page's title. Loaded through the authoring services, as an author would;
idempotent: a package that already exists is left alone.
"""

import json
from pathlib import Path

from django.db import transaction

from stepwise.frameworks.models import Framework
from stepwise.training.models import Package, PackageVersion
from stepwise.training.services import authoring

DATA_DIR = Path(__file__).resolve().parent / "data"


def _page(path: Path) -> tuple[str, str]:
    first, _, rest = path.read_text(encoding="utf-8").partition("\n")
    if not first.startswith("# "):
        raise ValueError(f"{path.name} must start with '# ' and the page's title")
    return first[2:].strip(), rest.strip()


def load_sample_packages(*, by, data_dir: Path | None = None) -> list[PackageVersion]:
    """Write, review and publish each sample package not there yet; returns what it published.
    A package for a framework that is not installed is skipped."""
    folder = data_dir or DATA_DIR
    published = []
    for entry in json.loads((folder / "packages.json").read_text(encoding="utf-8")):
        if Package.objects.filter(slug=entry["slug"]).exists():
            continue
        framework = None
        if entry.get("framework"):
            framework = Framework.objects.filter(slug=entry["framework"]).first()
            if framework is None:
                continue
        with transaction.atomic():
            package = authoring.package_create(
                slug=entry["slug"],
                title=entry["title"],
                audience=entry["audience"],
                framework=framework,
                description=entry.get("description", ""),
                by=by,
            )
            version = package.versions.get()
            authoring.version_update(
                version=version,
                by=by,
                declaration=entry["declaration"],
                validity_months=entry.get("validity_months"),
            )
            for name in entry["pages"]:
                title, body = _page(folder / name)
                authoring.page_save(version=version, by=by, title=title, body=body)
            authoring.version_submit(version=version, by=by)
            published.append(authoring.version_publish(version=version, by=by))
    return published

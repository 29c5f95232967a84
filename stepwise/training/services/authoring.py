"""Writing packages, and a version's way from draft to published.

draft ──submit──▶ in review ──publish──▶ published (frozen; the next version is drafted from it)
  ▲                   │
  └──────return───────┘
"""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from stepwise.core.errors import ConflictError
from stepwise.feedback import queries as feedback_queries
from stepwise.frameworks.rules import clean_slug, clean_text, may_author
from stepwise.training.attachments import check_pdf
from stepwise.training.models import (
    BODY_MAX,
    DECLARATION_MAX,
    TITLE_MAX,
    URL_MAX,
    Audience,
    FrozenVersionError,
    Package,
    PackageVersion,
    TrainingEvent,
    TrainingPage,
)

State = PackageVersion.State
Kind = TrainingEvent.Kind
VALIDITY_MAX_MONTHS = 120


def _require_author(by) -> None:
    if not may_author(by):
        raise ConflictError("Only framework authors and platform administrators write training.")


def _record(*, version, kind, by, note="", from_state="", to_state="") -> None:
    TrainingEvent.write(
        kind=kind,
        actor=by,
        package_id=version.package_id,
        version=version,
        note=note,
        from_state=from_state,
        to_state=to_state,
    )


def package_create(
    *, slug: str, title: str, audience: str, by, framework=None, description: str = ""
) -> Package:
    """A package and its first draft version, 1.0."""
    _require_author(by)
    errors = {}
    try:
        slug = clean_slug(slug)
    except ValidationError as error:
        errors["slug"] = error.messages
    try:
        title = clean_text(title, what="title", max_length=TITLE_MAX, required=True)
    except ValidationError as error:
        errors["title"] = error.messages
    if audience not in Audience.values:
        errors["audience"] = ["Choose who the package is for"]
    description = (description or "").strip()[:5000]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            package = Package.objects.create(
                slug=slug,
                title=title,
                audience=audience,
                framework=framework,
                description=description,
                created_by=by,
            )
            TrainingEvent.write(kind=Kind.PACKAGE_CREATED, actor=by, package=package)
            version = PackageVersion.objects.create(package=package, label="1.0", created_by=by)
            _record(version=version, kind=Kind.DRAFTED, by=by, to_state=State.DRAFT)
    except IntegrityError:
        raise ValidationError(
            {"slug": [f"A package with the address {slug} already exists"]}
        ) from None
    return package


def _next_label(package: Package) -> str:
    labels = set(package.versions.values_list("label", flat=True))
    majors = [int(m.group(1)) for label in labels if (m := re.match(r"^(\d+)", label))]
    major = max(majors, default=0) + 1
    while f"{major}.0" in labels:
        major += 1
    return f"{major}.0"


def version_draft(*, package: Package, by) -> PackageVersion:
    """The next version: a copy of the latest published one (its pages and files too)."""
    _require_author(by)
    with transaction.atomic():
        latest = (
            package.versions.filter(state=State.PUBLISHED).order_by("-published_at", "-pk").first()
        )
        if package.versions.filter(state__in=PackageVersion.OPEN_STATES).exists():
            raise ConflictError(
                f"{package} already has a version in the making: carry on with that one."
            )
        try:
            with transaction.atomic():
                version = PackageVersion.objects.create(
                    package=package,
                    label=_next_label(package),
                    based_on=latest,
                    created_by=by,
                    declaration=latest.declaration if latest else PackageVersion().declaration,
                    validity_months=latest.validity_months if latest else None,
                    feedback_form=latest.feedback_form if latest else None,
                )
        except IntegrityError:
            raise ConflictError(
                f"Someone else started a new version of {package} at the same time."
            ) from None
        if latest is not None:
            # A file is shared by both versions: a published file never changes, and a new
            # upload on the draft stores a new file.
            TrainingPage.objects.bulk_create(
                TrainingPage(
                    version=version,
                    position=page.position,
                    title=page.title,
                    body=page.body,
                    required=page.required,
                    video_url=page.video_url,
                    video_text=page.video_text,
                    attachment=page.attachment.name,
                    attachment_name=page.attachment_name,
                )
                for page in latest.pages.order_by("position", "pk")
            )
        _record(
            version=version,
            kind=Kind.DRAFTED,
            by=by,
            to_state=State.DRAFT,
            note=f"Copied from version {latest.label}" if latest else "Started empty",
        )
    return version


def _touch_draft(version) -> None:
    """Lock the draft, or refuse: once sent for review no edit slips in."""
    changed = PackageVersion.objects.filter(pk=version.pk, state=State.DRAFT).update(
        changed_at=timezone.now()
    )
    if not changed:
        raise FrozenVersionError(
            f"{version} is no longer a draft: "
            + (
                "return it to draft to change it."
                if PackageVersion.objects.filter(pk=version.pk, state=State.IN_REVIEW).exists()
                else "draft a new version to change it."
            )
        )


def clean_validity(value) -> int | None:
    if value in (None, "", 0):
        return None
    try:
        months = int(value)
    except (TypeError, ValueError):
        raise ValidationError("Enter the validity as a whole number of months") from None
    if months < 1 or months > VALIDITY_MAX_MONTHS:
        raise ValidationError(
            f"The validity must be between 1 and {VALIDITY_MAX_MONTHS} months, or left empty"
        )
    return months


def version_update(
    *, version, by, declaration: str, validity_months, feedback_form=None
) -> PackageVersion:
    """A draft's declaration, how long a completion counts, and the feedback form (a
    published one) people answer before completing."""
    _require_author(by)
    errors = {}
    try:
        declaration = clean_text(
            declaration, what="declaration", max_length=DECLARATION_MAX, required=True
        )
    except ValidationError as error:
        errors["declaration"] = error.messages
    try:
        validity_months = clean_validity(validity_months)
    except ValidationError as error:
        errors["validity_months"] = error.messages
    if feedback_form is not None and feedback_queries.published_version(feedback_form) is None:
        errors["feedback_form"] = ["Choose a feedback form that is published"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _touch_draft(version)
        PackageVersion.objects.filter(pk=version.pk).update(
            declaration=declaration, validity_months=validity_months, feedback_form=feedback_form
        )
        _record(version=version, kind=Kind.SETTINGS_CHANGED, by=by)
    version.refresh_from_db()
    return version


def _clean_page(*, title, body, video_url, video_text) -> dict:
    errors, cleaned = {}, {}
    checks = {
        "title": lambda: clean_text(title, what="title", max_length=TITLE_MAX, required=True),
        "body": lambda: clean_text(body, what="text", max_length=BODY_MAX),
        "video_text": lambda: clean_text(
            video_text, what="written version of the video", max_length=BODY_MAX
        ),
    }
    for name, check in checks.items():
        try:
            cleaned[name] = check()
        except ValidationError as error:
            errors[name] = error.messages
    url = (video_url or "").strip()
    if url and (not url.startswith("https://") or len(url) > URL_MAX or " " in url):
        errors["video_url"] = ["Enter the video's address, starting https://"]
    cleaned["video_url"] = url
    if url and not cleaned.get("video_text") and "video_text" not in errors:
        errors["video_text"] = [
            "Enter the written version of the video, for people who cannot watch it"
        ]
    if not errors and not (cleaned["body"] or url):
        errors["body"] = ["Enter the page's text, or a video with its written version"]
    if errors:
        raise ValidationError(errors)
    return cleaned


def page_save(
    *,
    version,
    by,
    title: str,
    body: str = "",
    required: bool = True,
    video_url: str = "",
    video_text: str = "",
    upload=None,
    remove_attachment: bool = False,
    page: TrainingPage | None = None,
) -> TrainingPage:
    """Add a page at the end of a draft, or change one of its pages."""
    _require_author(by)
    cleaned = _clean_page(title=title, body=body, video_url=video_url, video_text=video_text)
    if upload is not None:
        check_pdf(upload)
    with transaction.atomic():
        _touch_draft(version)
        if page is None:
            last = version.pages.aggregate(last=Max("position"))["last"] or 0
            page = TrainingPage(version=version, position=last + 1)
            kind = Kind.PAGE_ADDED
        else:
            page = TrainingPage.objects.get(pk=page.pk, version=version)
            kind = Kind.PAGE_CHANGED
        for name, value in cleaned.items():
            setattr(page, name, value)
        page.required = bool(required)
        if remove_attachment:
            page.attachment, page.attachment_name = "", ""
        if upload is not None:
            page.attachment_name = upload.name[:200]
            page.attachment.save(upload.name, upload, save=False)
        page.save()
        _record(version=version, kind=kind, by=by, note=page.title)
    return page


def page_remove(*, version, by, page: TrainingPage) -> None:
    """Take a page out of a draft (published versions keep theirs for good)."""
    _require_author(by)
    with transaction.atomic():
        _touch_draft(version)
        TrainingPage.objects.get(pk=page.pk, version=version).delete()
        _record(version=version, kind=Kind.PAGE_REMOVED, by=by, note=page.title)


def page_move(*, version, by, page: TrainingPage, up: bool) -> None:
    """Swap a draft's page with the one before (up) or after it."""
    _require_author(by)
    with transaction.atomic():
        _touch_draft(version)
        pages = list(version.pages.order_by("position", "pk"))
        index = next((i for i, p in enumerate(pages) if p.pk == page.pk), None)
        if index is None:
            raise ConflictError("That page is not part of this version.")
        other = index - 1 if up else index + 1
        if not 0 <= other < len(pages):
            return
        pages[index], pages[other] = pages[other], pages[index]
        for position, moved in enumerate(pages, start=1):
            if moved.position != position:
                TrainingPage.objects.filter(pk=moved.pk).update(position=position)
        _record(version=version, kind=Kind.PAGE_CHANGED, by=by, note=f"Moved {page.title}")


def _transition(*, version, by, kind, from_state, to_state, note="", **changes):
    with transaction.atomic():
        changed = PackageVersion.objects.filter(pk=version.pk, state=from_state).update(
            state=to_state, **changes
        )
        if not changed:
            current = PackageVersion.objects.get(pk=version.pk)
            raise ConflictError(f"{version} is {current.get_state_display().lower()} already.")
        _record(
            version=version,
            kind=kind,
            by=by,
            from_state=from_state,
            to_state=to_state,
            note=note,
        )
    version.refresh_from_db()
    return version


def version_submit(*, version, by) -> PackageVersion:
    _require_author(by)
    with transaction.atomic():
        _transition(
            version=version,
            by=by,
            kind=Kind.SUBMITTED,
            from_state=State.DRAFT,
            to_state=State.IN_REVIEW,
        )
        # Checked with the version locked, so no page can slip in or out after.
        if not version.pages.filter(required=True).exists():
            raise ValidationError("Add at least one required page before sending it for review")
    return version


def version_return(*, version, by, comment: str) -> PackageVersion:
    _require_author(by)
    comment = clean_text(comment, what="comment", max_length=5000, required=True)
    return _transition(
        version=version,
        by=by,
        kind=Kind.RETURNED,
        from_state=State.IN_REVIEW,
        to_state=State.DRAFT,
        note=comment,
    )


def version_publish(*, version, by) -> PackageVersion:
    """Frozen from now on; people for the package's role read it from now on."""
    _require_author(by)
    return _transition(
        version=version,
        by=by,
        kind=Kind.PUBLISHED,
        from_state=State.IN_REVIEW,
        to_state=State.PUBLISHED,
        published_by=by,
        published_at=timezone.now(),
    )

"""What the training pages show, prepared from the models."""

from dataclasses import dataclass

from django.urls import reverse

from stepwise.core.formatting import date
from stepwise.feedback.queries import has_answered
from stepwise.training import markdown, queries
from stepwise.training.models import PackageVersion

STATE_COLOURS = {
    PackageVersion.State.DRAFT: "grey",
    PackageVersion.State.IN_REVIEW: "yellow",
    PackageVersion.State.PUBLISHED: "green",
}


def state_tag(version) -> dict:
    return {
        "text": version.get_state_display(),
        "classes": f"nhsuk-tag--{STATE_COLOURS[version.state]}",
    }


def reading_time(page) -> str:
    words = markdown.word_count(page.body, page.video_text)
    return markdown.duration(markdown.reading_seconds(words))


@dataclass
class PageRow:
    page: object
    href: str
    reading_time: str
    opened: bool


def page_rows(package, pages, opened: set[int]) -> list[PageRow]:
    return [
        PageRow(
            page=page,
            href=reverse("training:page", args=[package.slug, page.pk]),
            reading_time=reading_time(page),
            opened=page.pk in opened,
        )
        for page in pages
    ]


def total_reading_time(pages) -> str:
    words = sum(markdown.word_count(page.body, page.video_text) for page in pages)
    return markdown.duration(markdown.reading_seconds(words)) if pages else ""


def completion_status(package, completions) -> dict:
    """The tag and line of a package in "Your training"."""
    latest = completions[0] if completions else None
    if latest is None:
        return {"tag": {"text": "Not started", "classes": "nhsuk-tag--grey"}, "line": ""}
    if not queries.is_current(latest):
        why = (
            "revoked" if latest.certificate.revoked_at else f"expired on {date(latest.expires_at)}"
        )
        return {
            "tag": {"text": "Complete again", "classes": "nhsuk-tag--red"},
            "line": f"Your certificate for version {latest.version.label} {why}.",
        }
    if package.version and latest.version_id != package.version.pk:
        return {
            "tag": {"text": "New version", "classes": "nhsuk-tag--yellow"},
            "line": (
                f"You completed version {latest.version.label} on {date(latest.completed_at)}. "
                f"Version {package.version.label} is now published."
            ),
        }
    line = f"Completed on {date(latest.completed_at)}"
    if latest.expires_at:
        line += f", valid until {date(latest.expires_at)}"
    return {"tag": {"text": "Completed", "classes": "nhsuk-tag--green"}, "line": line + "."}


def certificate_rows(completions) -> list[dict]:
    rows = []
    for completion in completions:
        certificate = completion.certificate
        if certificate.revoked_at:
            status = f"Revoked on {date(certificate.revoked_at)}"
        elif completion.expires_at and not queries.is_current(completion):
            status = f"Expired on {date(completion.expires_at)}"
        elif completion.expires_at:
            status = f"Valid until {date(completion.expires_at)}"
        else:
            status = "Valid"
        rows.append(
            {
                "version": completion.version.label,
                "completed": date(completion.completed_at),
                "status": status,
                "download": reverse("certificates:download", args=[certificate.serial]),
                "credential": reverse("certificates:credential", args=[certificate.serial]),
                "verify": certificate.verify_url,
                "ready": bool(certificate.pdf),
            }
        )
    return rows


def validity(version) -> str:
    months = version.validity_months
    if not months:
        return "Does not expire"
    if months % 12 == 0:
        years = months // 12
        return f"{years} year{'' if years == 1 else 's'}"
    return f"{months} month{'' if months == 1 else 's'}"


def feedback_step(version, person) -> dict | None:
    """The version's feedback form, where to answer it, and whether the person has."""
    form = version.feedback_form
    if form is None:
        return None
    return {
        "title": form.title,
        "href": reverse("feedback:answer", args=[form.slug]),
        "answered": has_answered(person, form),
    }

"""What the passport pages show, prepared without the database."""

from dataclasses import dataclass

from stepwise.core.formatting import date
from stepwise.passports.services import ACCEPTABLE, source_of
from stepwise.progress.presenters.staff import with_hints


@dataclass(frozen=True)
class Offer:
    attainment_id: int
    code: str
    statement: str
    source: str
    issuer_name: str
    offerable: bool
    reason: str  # why it cannot be accepted, when it cannot


def offers(records, attainments) -> list[Offer]:
    """One row per attainment matching a record, in framework order; the newest first when a
    proficiency was confirmed more than once."""
    by_uuid = {}
    for attainment in attainments:
        by_uuid.setdefault(attainment.proficiency_uuid, []).append(attainment)
    rows = []
    for record in records:
        for attainment in by_uuid.get(record.proficiency.uuid, []):
            reason = ""
            if attainment.statement != record.proficiency.statement:
                reason = (
                    "The statement differs from this framework's, so it cannot be accepted: "
                    f"\u201c{attainment.statement}\u201d"
                )
            elif record.state not in ACCEPTABLE:
                reason = f"Already {record.get_state_display().lower()} here"
            rows.append(
                Offer(
                    attainment_id=attainment.pk,
                    code=record.proficiency.code,
                    statement=record.proficiency.statement,
                    source=source_of(attainment),
                    issuer_name=attainment.issuer_name,
                    offerable=not reason,
                    reason=reason,
                )
            )
    return rows


def issuers(rows: list[Offer]) -> str:
    names = sorted({row.issuer_name for row in rows})
    return " and ".join(names)


def hints(rows: list[Offer]) -> dict[str, str]:
    """Each offerable attainment's source, as the hint under its checkbox."""
    return {str(row.attainment_id): row.source for row in rows if row.offerable}


def passport_rows(passports) -> list[list[dict]]:
    return [
        [
            {"text": passport.issuer_name},
            {"text": date(passport.imported_at)},
            {"text": str(passport.attainment_count)},
        ]
        for passport in passports
    ]


def accepted_message(result) -> str:
    count = len(result.confirmed)
    noun = "proficiency" if count == 1 else "proficiencies"
    message = f"{count} {noun} confirmed by recognised prior attainment"
    if result.skipped:
        codes = ", ".join(record.proficiency.code for record in result.skipped)
        message += f". Skipped, already confirmed or waiting for an assessor: {codes}"
    return message


def checkboxes(bound_field, rows: list[Offer]) -> dict:
    """The checkboxes' parameters, each with where it was confirmed as its hint."""
    return with_hints(bound_field, hints(rows))

"""What the Trust's people pages show, prepared from models so templates never query or
decide. Everything here works on objects already loaded and is tested without a database."""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page
from django.urls import reverse
from django.utils.html import format_html

from stepwise.core import formatting

# Re-exported: the people pages' views call presenters.pagination.
from stepwise.core.pagination import pagination as pagination
from stepwise.organisations import rules
from stepwise.organisations.models import Membership, MembershipEvent

STATE_COLOURS = {
    Membership.State.INVITED: "blue",
    Membership.State.ACTIVE: "green",
    Membership.State.AWAITING_APPROVAL: "yellow",
    Membership.State.ENDED: "grey",
    Membership.State.DECLINED: "red",
}

PASSWORD_SET = "Password set"
INVITED = "Invited, no password yet"
# What the Trust sees of someone it has invited until they accept: their name and email.
WAITING_TO_ACCEPT = "Invited, waiting for them to accept"
NOT_SHOWN = "Not shown until they accept"


def state_tag(member: Membership) -> dict:
    text = member.get_state_display()
    if member.state == Membership.State.INVITED:
        text = WAITING_TO_ACCEPT
    return {"text": text, "colour": STATE_COLOURS[member.state]}


def account_status(person) -> str:
    return PASSWORD_SET if person.has_usable_password() else INVITED


def _is_invited(member: Membership) -> bool:
    return member.state == Membership.State.INVITED


def _name_and_email_only(member: Membership) -> bool:
    """Someone invited who never accepted (still waiting, declined, or withdrawn) is only a
    name and an email to the Trust. `joined_by_consent` comes from the people queries; a
    membership loaded without it shows no more either."""
    return _is_invited(member) or not getattr(member, "joined_by_consent", False)


def unit_name(member: Membership) -> str:
    return member.unit.name if member.unit_id else "No unit"


@dataclass(frozen=True)
class MemberRow:
    """The columns every list of a Trust's people starts with."""

    name: str
    href: str
    email: str
    unit: str


def _member_columns(member: Membership, url_name: str) -> dict:
    return {
        "name": member.person.full_name,
        "href": reverse(url_name, args=[member.pk]),
        "email": member.person.email,
        "unit": unit_name(member),
    }


@dataclass(frozen=True)
class PersonRow(MemberRow):
    roles: str
    state: dict
    account: str


def person_rows(members) -> list[PersonRow]:
    return [
        PersonRow(
            **_member_columns(member, "organisations:person_detail"),
            roles=member.role_names,
            state=state_tag(member),
            account=NOT_SHOWN if _name_and_email_only(member) else account_status(member.person),
        )
        for member in members
    ]


def _row(key: str, value: str, change: tuple[str, str] | None = None) -> dict:
    row = {"key": {"text": key}, "value": {"text": value or "Not given"}}
    if change:
        href, what = change
        row["actions"] = {"items": [{"href": href, "text": "Change", "visuallyHiddenText": what}]}
    return row


def person_details(member: Membership) -> list[dict]:
    """Who the person is: their own account, the same at every Trust. Someone invited is
    only a name and an email address here unless they accept."""
    person = member.person
    if _name_and_email_only(member):
        return [_row("Name", person.full_name), _row("Email address", person.email)]
    return [
        _row("Name", person.full_name),
        _row("Email address", person.email),
        _row("Job title", person.job_title),
        _row("Professional registration", person.registration),
        _row("Account", account_status(person)),
    ]


def membership_details(member: Membership, viewer: Membership) -> list[dict]:
    """Their place in this Trust. A summary-list row with a `tag` shows it as a tag."""
    change = None
    if rules.may_change_roles(viewer) and rules.roles_changeable(member):
        change = reverse("organisations:person_roles", args=[member.pk])
    rows = [
        _row("Unit", unit_name(member), (change, "unit") if change else None),
        _row("Roles", member.role_names, (change, "roles") if change else None),
        {"key": {"text": "Status"}, "tag": state_tag(member)},
    ]
    if _is_invited(member):
        rows.append(_row("Invited", formatting.date_time(member.created_at)))
    else:
        rows.append(_row("Started", formatting.date(member.started_on)))
    if member.ended_on:
        rows.append(_row("Ended", formatting.date(member.ended_on)))
    return rows


@dataclass(frozen=True)
class HistoryItem:
    when: str
    what: str
    by: str
    note: str


def _state_change(event: MembershipEvent) -> str:
    if not (event.from_state and event.to_state):
        return ""
    labels = dict(Membership.State.choices)
    return f"{labels.get(event.from_state, event.from_state)} to {labels.get(event.to_state)}"


def history(events) -> list[HistoryItem]:
    return [
        HistoryItem(
            when=formatting.date_time(event.at),
            what=event.get_kind_display(),
            by=event.actor.full_name if event.actor_id else "Stepwise",
            note="; ".join(part for part in (_state_change(event), event.note) if part),
        )
        for event in events
    ]


@dataclass(frozen=True)
class Action:
    text: str
    href: str
    # A POST action is a button in its own form; a GET action is a link to a page.
    post: bool = False
    warning: bool = False


def person_actions(member: Membership, viewer: Membership) -> list[Action]:
    """What this member of staff can do to this membership now, from the same rules the
    views enforce."""
    actions: list[Action] = []
    if member.state == Membership.State.AWAITING_APPROVAL and rules.may_decide_registration(viewer):
        actions.append(
            Action(
                "Approve or decline registration",
                reverse("organisations:approval_decide", args=[member.pk]),
            )
        )
    if rules.may_change_roles(viewer) and rules.roles_changeable(member):
        actions.append(
            Action("Change roles or unit", reverse("organisations:person_roles", args=[member.pk]))
        )
    if _is_invited(member) and rules.may_end(viewer, member):
        actions.append(
            Action(
                "Withdraw the invitation",
                reverse("organisations:invitation_withdraw", args=[member.pk]),
                post=True,
                warning=True,
            )
        )
    if rules.needs_invitation(member):
        actions.append(
            Action(
                "Send the invitation again",
                reverse("organisations:invitation_resend", args=[member.pk]),
                post=True,
            )
        )
    if rules.may_reset_two_step(viewer, member):
        actions.append(
            Action(
                "Reset two-step sign-in",
                reverse("organisations:two_step_reset", args=[member.pk]),
            )
        )
    if member.state == Membership.State.ACTIVE and rules.may_end(viewer, member):
        actions.append(
            Action(
                "End membership",
                reverse("organisations:membership_end", args=[member.pk]),
                warning=True,
            )
        )
    return actions


@dataclass(frozen=True)
class RegistrationRow(MemberRow):
    registration: str
    registered: str
    waiting: str


def registration_rows(members) -> list[RegistrationRow]:
    return [
        RegistrationRow(
            **_member_columns(member, "organisations:approval_decide"),
            registration=member.person.registration or "Not given",
            registered=formatting.date(member.created_at),
            waiting=formatting.age(member.created_at),
        )
        for member in members
    ]


def registration_details(member: Membership) -> list[dict]:
    """What they asked for when they registered through the link."""
    return [
        _row("Unit", unit_name(member)),
        _row("Registered", formatting.date_time(member.created_at)),
        _row("Waiting for", formatting.age(member.created_at)),
    ]


def registration_link(trust) -> str:
    """The full self-registration address to share, or "" if the Trust has none yet."""
    if not trust.registration_code:
        return ""
    return settings.SITE_URL + reverse("organisations:register", args=[trust.registration_code])


def registration_link_rows(last_changed) -> list[dict]:
    """When the current link was made, and by whom, if we know."""
    if last_changed is None:
        return []
    by = f" by {last_changed.actor.full_name}" if last_changed.actor_id else ""
    return [_row("Link created", formatting.date_time(last_changed.at) + by)]


def showing(page: Page) -> str:
    """ "Showing 26 to 50 of 60 people"."""
    count = page.paginator.count
    noun = "person" if count == 1 else "people"
    if count == 0:
        return "No people match"
    if page.paginator.num_pages == 1:
        return f"{count} {noun}"
    return f"Showing {page.start_index()} to {page.end_index()} of {count} {noun}"


# --- The person's own invitations to join ----------------------------------------------


@dataclass(frozen=True)
class JoinInvitation:
    heading: str
    rows: list[dict]
    accept_href: str
    decline_href: str
    # Button labels naming the Trust for screen readers, where several invitations wait.
    accept_html: str
    decline_html: str


def join_invitations(members) -> list[JoinInvitation]:
    """The signed-in person's invitations (memberships waiting for their answer)."""
    invitations = []
    for member in members:
        trust = member.trust.name
        invitations.append(
            JoinInvitation(
                heading=f"{trust} invites you to join as {member.role_names.lower()}",
                rows=[
                    _row("Roles", member.role_names),
                    _row("Unit", unit_name(member)),
                    _row("Invited by", member.created_by.full_name if member.created_by_id else ""),
                    _row("Invited", formatting.date_time(member.created_at)),
                ],
                accept_href=reverse("organisations:join_accept", args=[member.pk]),
                decline_href=reverse("organisations:join_decline", args=[member.pk]),
                accept_html=format_html(
                    'Accept<span class="nhsuk-u-visually-hidden"> and join {}</span>', trust
                ),
                decline_html=format_html(
                    'Decline<span class="nhsuk-u-visually-hidden"> the invitation from {}</span>',
                    trust,
                ),
            )
        )
    return invitations

"""How every authoring view finds its framework or version and what the person may do with it.

Frameworks are national, not a Trust's, so the scope is the person's access: authors and
platform administrators reach every framework, collaborators theirs. Someone without access
gets 403, except for a version still in the making, which is 404: its existence is only its
authors' business.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from stepwise.frameworks import queries, rules
from stepwise.frameworks.models import Framework, FrameworkVersion
from stepwise.frameworks.presenters.common import version_href
from stepwise.frameworks.presenters.versions import unavailable_message
from stepwise.frameworks.rules import Action, FrameworkAccess


def require_author(request) -> None:
    if not rules.may_author(request.user):
        raise PermissionDenied


def require_authoring(request) -> None:
    """Authors, and collaborators on any framework."""
    if not (rules.may_author(request.user) or queries.collaborates(request.user)):
        raise PermissionDenied


def _access(request, framework: Framework) -> FrameworkAccess:
    role = queries.collaborator_role(framework, request.user)
    return rules.framework_access(request.user, role)


def framework_for(request, slug: str) -> tuple[Framework, FrameworkAccess]:
    framework = get_object_or_404(queries.frameworks(), slug=slug)
    access = _access(request, framework)
    if not access.view:
        raise PermissionDenied
    return framework, access


def version_for(request, slug: str, version_id: int) -> tuple[FrameworkVersion, FrameworkAccess]:
    framework = get_object_or_404(queries.frameworks(), slug=slug)
    access = _access(request, framework)
    version = queries.framework_version(framework, version_id)
    if version is None or (not access.view and version.state in FrameworkVersion.OPEN_STATES):
        raise Http404
    if not access.view:
        raise PermissionDenied
    version.framework = framework
    if version.based_on is not None:
        version.based_on.framework = framework
    return version, access


def refusal(request, version: FrameworkVersion, access: FrameworkAccess, action: Action):
    """None when the person may do this to the version now. Someone who may never do it gets
    403; someone who may, but not in the version's state, is told why on the version's page."""
    if action in rules.version_actions(version, access):
        return None
    if not rules.may(access, action):
        raise PermissionDenied
    messages.error(request, unavailable_message(version, action))
    return redirect(version_href(version))


def back_to_version(version: FrameworkVersion, anchor: str = ""):
    return redirect(version_href(version) + (f"#{anchor}" if anchor else ""))


def posted(request, *, files: bool = False):
    """What a form was sent, or None to show it empty. (Not `request.POST or None`: a form
    sent with nothing ticked is still sent.)"""
    if request.method != "POST":
        return None
    return request.FILES if files else request.POST

"""A version's page, its settings, its export, the learner's preview and the changes since the
version before."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from stepwise.core.errors import ConflictError
from stepwise.frameworks import queries, rules, services
from stepwise.frameworks.diff import version_diff
from stepwise.frameworks.exchange import files
from stepwise.frameworks.forms import VersionSettingsForm, add_service_errors
from stepwise.frameworks.presenters import content, versions
from stepwise.frameworks.presenters.common import content_summary, state_tag, version_name
from stepwise.frameworks.rules import Action
from stepwise.frameworks.views._lookup import back_to_version, posted, refusal, version_for


@login_required
def version_detail(request, slug: str, version_id: int):
    version, access = version_for(request, slug, version_id)
    allowed = rules.version_actions(version, access)
    sections = queries.version_sections(version)
    return render(
        request,
        "frameworks/version.jinja",
        {
            "version": version,
            "name": version_name(version),
            "state": state_tag(version),
            "editable": Action.EDIT in allowed,
            "links": versions.version_links(version, access),
            "notice": versions.review_notice(version, queries.last_review_outcome(version)),
            "comments": queries.review_comment_count(version),
            "settings": versions.settings_rows(version, editable=Action.EDIT in allowed),
            "sections": versions.section_blocks(version, sections, editable=Action.EDIT in allowed),
            "summary": content_summary(sections),
            "previous": version_name(version.based_on) if version.based_on else "",
            "formats": files.Format,
        },
    )


@login_required
def version_settings(request, slug: str, version_id: int):
    version, access = version_for(request, slug, version_id)
    if refused := refusal(request, version, access, Action.EDIT):
        return refused
    initial = {name: getattr(version, name) for name in rules.SETTING_RULES}
    form = VersionSettingsForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.version_update(version=version, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except ConflictError as error:
            messages.error(request, str(error))
            return back_to_version(version)
        else:
            messages.success(request, f"The settings of {version_name(version)} have been saved")
            return back_to_version(version)
    return render(
        request,
        "frameworks/version_settings.jinja",
        {"form": form, "version": version, "name": version_name(version)},
    )


@login_required
def version_export(request, slug: str, version_id: int, fmt: str):
    version, _access = version_for(request, slug, version_id)
    if fmt not in files.Format.values:
        raise Http404("No such format")
    response = HttpResponse(
        files.export_version(version, fmt), content_type=files.CONTENT_TYPES[fmt]
    )
    response["Content-Disposition"] = content_disposition_header(
        True, files.export_filename(version, fmt)
    )
    return response


@login_required
def version_preview(request, slug: str, version_id: int):
    version, _access = version_for(request, slug, version_id)
    sections = queries.version_sections(version)
    return render(
        request,
        "frameworks/preview.jinja",
        {
            "version": version,
            "name": version_name(version),
            "sections": content.preview_sections(version, sections),
            "summary": content.preview_summary(version, sections),
            "radios_params": content.answer_radios(version),
            "placeholders": {"name": content.ANSWER_NAME, "code": content.ANSWER_CODE},
        },
    )


@login_required
def version_changes(request, slug: str, version_id: int):
    version, _access = version_for(request, slug, version_id)
    previous = version.based_on
    if previous is None:
        raise Http404("The first version has nothing to compare with")
    page = content.changes_page(version_diff(previous, version), old=previous, new=version)
    return render(
        request,
        "frameworks/changes.jinja",
        {"version": version, "name": version_name(version), "page": page},
    )

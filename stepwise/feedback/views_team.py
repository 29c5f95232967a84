"""The service team builds forms: list, create, settings, questions, publish, new version,
ask now. Only platform administrators (the service team) reach these pages."""

from functools import partial

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stepwise.core.errors import ConflictError
from stepwise.feedback import building, queries
from stepwise.feedback.builtin import BUILTIN_FORMS
from stepwise.feedback.forms import FormSettings, NewForm, QuestionForm
from stepwise.feedback.models import Form, FormVersion, Question
from stepwise.feedback.services import ask_targeted
from stepwise.organisations.access import platform_admin_required


def _posted(request):
    return request.POST if request.method == "POST" else None


def _back(form: Form) -> dict:
    return {"href": reverse("feedback:team_form", args=[form.pk]), "text": f"Back to {form.title}"}


@platform_admin_required
def form_list(request):
    forms = Form.objects.annotate(
        response_count=Count("responses", distinct=True),
        published=Count("versions", filter=Q(versions__state="published"), distinct=True),
    ).order_by("title")
    present = {form.slug for form in forms}
    missing = [builtin.title for builtin in BUILTIN_FORMS if builtin.slug not in present]
    return render(request, "feedback/team/list.jinja", {"forms": forms, "missing": missing})


@require_POST
@platform_admin_required
def install_builtins(request):
    building.builtins_install(by=request.user)
    messages.success(request, "The built-in forms are ready")
    return redirect("feedback:team")


@platform_admin_required
def form_new(request):
    form = NewForm(_posted(request))
    if form.is_valid():
        created = building.form_create(by=request.user, **form.cleaned_data)
        messages.success(request, f"“{created.title}” created: add its questions")
        return redirect("feedback:team_form", form_id=created.pk)
    return render(
        request,
        "feedback/team/new.jinja",
        {"form": form, "back_link": {"href": reverse("feedback:team"), "text": "Back to feedback"}},
    )


@platform_admin_required
def form_detail(request, form_id: int):
    feedback_form = get_object_or_404(Form, pk=form_id)
    versions = list(feedback_form.versions.annotate(answers=Count("responses")))
    draft = next((v for v in versions if v.state == FormVersion.State.DRAFT), None)
    published = next((v for v in versions if v.state == FormVersion.State.PUBLISHED), None)
    shown = draft or published
    return render(
        request,
        "feedback/team/form.jinja",
        {
            "feedback_form": feedback_form,
            "versions": versions,
            "draft": draft,
            "published": published,
            "shown": shown,
            "questions": queries.questions_of(shown) if shown else [],
            "target": queries.target_summary(feedback_form),
            "asked": feedback_form.invitations.count(),
            "back_link": {"href": reverse("feedback:team"), "text": "Back to feedback"},
        },
    )


@platform_admin_required
def form_settings(request, form_id: int):
    feedback_form = get_object_or_404(Form, pk=form_id)
    initial = {
        "title": feedback_form.title,
        "introduction": feedback_form.introduction,
        "anonymous": feedback_form.anonymous,
        "trigger": feedback_form.trigger,
        "send_on": feedback_form.send_on,
        "roles": feedback_form.roles,
        "trusts": list(feedback_form.trusts.all()),
        "cohorts": list(feedback_form.cohorts.all()),
    }
    form = FormSettings(_posted(request), initial=initial)
    if form.is_valid():
        try:
            building.form_change_settings(form=feedback_form, by=request.user, **form.cleaned_data)
        except ConflictError as conflict:
            form.add_error("anonymous", str(conflict))
        else:
            messages.success(request, "Settings saved")
            return redirect("feedback:team_form", form_id=feedback_form.pk)
    return render(
        request,
        "feedback/team/settings.jinja",
        {"form": form, "feedback_form": feedback_form, "back_link": _back(feedback_form)},
    )


def _draft_of(form_id: int) -> tuple[Form, FormVersion]:
    feedback_form = get_object_or_404(Form, pk=form_id)
    draft = queries.draft_version(feedback_form)
    if draft is None:
        raise Http404
    return feedback_form, draft


def _question_fields(cleaned: dict) -> dict:
    return {
        "kind": cleaned["kind"],
        "text": cleaned["text"],
        "hint": cleaned["hint"],
        "required": cleaned["required"],
        "choices": cleaned["choice_list"],
        "key": cleaned["key"],
    }


@platform_admin_required
def question_new(request, form_id: int):
    feedback_form, draft = _draft_of(form_id)
    form = QuestionForm(_posted(request), initial={"required": True})
    save = partial(building.question_add, version=draft, by=request.user)
    return _question_page(request, feedback_form, form, save, "Add a question")


@platform_admin_required
def question_edit(request, form_id: int, question_id: int):
    feedback_form, draft = _draft_of(form_id)
    question = get_object_or_404(Question, pk=question_id, version=draft)
    initial = {
        "kind": question.kind,
        "text": question.text,
        "hint": question.hint,
        "required": question.required,
        "choices": "\n".join(question.choices),
        "key": question.key,
    }
    form = QuestionForm(_posted(request), initial=initial)
    save = partial(building.question_change, question=question, by=request.user)
    return _question_page(request, feedback_form, form, save, "Change a question")


def _question_page(request, feedback_form, form, save, page_title: str):
    """A valid question form is saved with `save` (a refusal becomes a warning) and the team
    goes back to the form's page; otherwise the question page shows, with any errors."""
    if form.is_valid():
        try:
            save(**_question_fields(form.cleaned_data))
        except ConflictError as conflict:
            messages.warning(request, str(conflict))
        return redirect("feedback:team_form", form_id=feedback_form.pk)
    return render(
        request,
        "feedback/team/question.jinja",
        {
            "form": form,
            "feedback_form": feedback_form,
            "page_title": page_title,
            "back_link": _back(feedback_form),
        },
    )


@require_POST
@platform_admin_required
def question_action(request, form_id: int, question_id: int, action: str):
    feedback_form, draft = _draft_of(form_id)
    question = get_object_or_404(Question, pk=question_id, version=draft)
    try:
        if action in ("up", "down"):
            building.question_move(question=question, by=request.user, up=action == "up")
        elif action == "remove":
            building.question_remove(question=question, by=request.user)
            messages.success(request, f"Removed “{question.text}”")
        else:
            raise Http404
    except ConflictError as conflict:
        messages.warning(request, str(conflict))
    return redirect("feedback:team_form", form_id=feedback_form.pk)


@require_POST
@platform_admin_required
def publish(request, form_id: int):
    feedback_form, draft = _draft_of(form_id)
    try:
        building.version_publish(version=draft, by=request.user)
    except ConflictError as conflict:
        messages.warning(request, str(conflict))
    else:
        messages.success(request, f"Version {draft.number} published")
    return redirect("feedback:team_form", form_id=feedback_form.pk)


@require_POST
@platform_admin_required
def new_version(request, form_id: int):
    feedback_form = get_object_or_404(Form, pk=form_id)
    try:
        draft = building.version_draft_next(form=feedback_form, by=request.user)
    except ConflictError as conflict:
        messages.warning(request, str(conflict))
    else:
        messages.success(request, f"Version {draft.number} drafted: change it, then publish it")
    return redirect("feedback:team_form", form_id=feedback_form.pk)


@require_POST
@platform_admin_required
def ask_now(request, form_id: int):
    feedback_form = get_object_or_404(Form, pk=form_id)
    if queries.published_version(feedback_form) is None:
        messages.warning(request, "Publish the form before asking anyone")
    else:
        count = ask_targeted(feedback_form, by=request.user)
        noun = "person" if count == 1 else "people"
        messages.success(request, f"{count} {noun} asked")
    return redirect("feedback:team_form", form_id=feedback_form.pk)

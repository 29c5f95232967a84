"""The service team builds forms: questions are added, changed and ordered only in a draft;
publishing makes the draft the version people answer; changing a published form drafts the
next version, a copy, so answers always keep the questions they were given."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from stepwise.core.errors import ConflictError
from stepwise.feedback.builtin import BUILTIN_FORMS, BuiltinForm
from stepwise.feedback.models import Form, FormEvent, FormVersion, Question

CHOICE_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
LIKERT_POINTS = 5


def _unique_slug(title: str) -> str:
    base = slugify(title)[:50] or "form"
    slug, number = base, 2
    while Form.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def form_create(*, by, title: str, anonymous: bool, introduction: str = "", **settings) -> Form:
    """A new form with an empty draft. Its address comes from the title; two forms of the
    same title made at once get different addresses (the loser of the race tries the next)."""
    slug = settings.pop("slug", None)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                form = Form.objects.create(
                    title=title,
                    slug=slug or _unique_slug(title),
                    anonymous=anonymous,
                    introduction=introduction,
                    created_by=by,
                    **settings,
                )
                FormVersion.objects.create(form=form, number=1)
                FormEvent.write(kind=FormEvent.Kind.CREATED, actor=by, form=form, to_state="draft")
            return form
        except IntegrityError:
            if slug:
                raise ConflictError("A form with this address exists already.") from None
    raise ConflictError("Someone else is creating forms of this title: try again.")


def form_change_settings(*, form: Form, by, trusts=None, cohorts=None, **fields) -> Form:
    """Title, introduction, anonymity, who is asked and when. Anonymity is fixed once
    anyone has answered: their answers were given on its terms."""
    with transaction.atomic():
        locked = Form.objects.select_for_update().get(pk=form.pk)
        changes_anonymity = fields.get("anonymous", locked.anonymous) != locked.anonymous
        if changes_anonymity and locked.responses.exists():
            raise ConflictError(
                "People have answered this form, so whether it is anonymous cannot change."
            )
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
        if trusts is not None:
            locked.trusts.set(trusts)
        if cohorts is not None:
            locked.cohorts.set(cohorts)
        FormEvent.write(kind=FormEvent.Kind.CHANGED, actor=by, form=locked, note="Settings")
    return locked


def _locked_draft(version: FormVersion) -> FormVersion:
    locked = FormVersion.objects.select_for_update().get(pk=version.pk)
    if locked.state != FormVersion.State.DRAFT:
        raise ConflictError(
            "This version has been published, so its questions can no longer change. "
            "Make a new version to change them."
        )
    return locked


def _check_choices(kind: str, choices: list[str]) -> list[str]:
    choices = [choice.strip() for choice in choices if choice.strip()]
    if kind == Question.Kind.LIKERT and len(choices) != LIKERT_POINTS:
        raise ValueError("A 5-point scale needs exactly 5 labels.")
    if kind in CHOICE_KINDS and len(choices) < 2:
        raise ValueError("A choice question needs at least 2 answers.")
    if kind not in CHOICE_KINDS and kind != Question.Kind.LIKERT:
        return []
    return choices


def question_add(*, version: FormVersion, by, kind, text, hint="", required=True, choices=(),
                 key="") -> Question:  # fmt: skip
    choices = _check_choices(kind, list(choices))
    with transaction.atomic():
        draft = _locked_draft(version)
        last = draft.questions.aggregate(last=Max("position"))["last"] or 0
        question = Question.objects.create(
            version=draft,
            position=last + 1,
            kind=kind,
            text=text,
            hint=hint,
            required=required,
            choices=choices,
            key=key,
        )
        FormEvent.write(
            kind=FormEvent.Kind.CHANGED, actor=by, form=draft.form, note=f"Added: {text}"
        )
    return question


def question_change(*, question: Question, by, **fields) -> Question:
    if "choices" in fields or "kind" in fields:
        fields["choices"] = _check_choices(
            fields.get("kind", question.kind), list(fields.get("choices", question.choices))
        )
    with transaction.atomic():
        _locked_draft(question.version)
        Question.objects.filter(pk=question.pk).update(**fields)
        FormEvent.write(
            kind=FormEvent.Kind.CHANGED,
            actor=by,
            form=question.version.form,
            note=f"Changed: {fields.get('text', question.text)}",
        )
    question.refresh_from_db()
    return question


def question_remove(*, question: Question, by) -> None:
    # A draft's question has no answers: removing it loses nothing anyone said.
    with transaction.atomic():
        _locked_draft(question.version)
        Question.objects.filter(pk=question.pk).delete()
        FormEvent.write(
            kind=FormEvent.Kind.CHANGED,
            actor=by,
            form=question.version.form,
            note=f"Removed: {question.text}",
        )


def question_move(*, question: Question, by, up: bool) -> None:
    with transaction.atomic():
        draft = _locked_draft(question.version)
        ordered = list(draft.questions.order_by("position", "pk"))
        index = next(i for i, item in enumerate(ordered) if item.pk == question.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(ordered):
            return
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, item in enumerate(ordered, start=1):
            item.position = position
        Question.objects.bulk_update(ordered, ["position"])
        FormEvent.write(
            kind=FormEvent.Kind.CHANGED, actor=by, form=draft.form, note="Questions reordered"
        )


def version_publish(*, version: FormVersion, by) -> FormVersion:
    with transaction.atomic():
        draft = _locked_draft(version)
        if not draft.questions.exists():
            raise ConflictError("Add at least one question before publishing.")
        replaced = FormVersion.objects.filter(
            form=draft.form, state=FormVersion.State.PUBLISHED
        ).update(state=FormVersion.State.REPLACED)
        FormVersion.objects.filter(pk=draft.pk).update(
            state=FormVersion.State.PUBLISHED, published_at=timezone.now(), published_by=by
        )
        FormEvent.write(
            kind=FormEvent.Kind.PUBLISHED,
            actor=by,
            form=draft.form,
            from_state="draft",
            to_state="published",
            note=f"Version {draft.number}" + (" replaces the previous one" if replaced else ""),
        )
    draft.refresh_from_db()
    return draft


def version_draft_next(*, form: Form, by) -> FormVersion:
    """A new draft, a copy of the published version's questions."""
    try:
        with transaction.atomic():
            locked = Form.objects.select_for_update().get(pk=form.pk)
            versions = locked.versions.all()
            if versions.filter(state=FormVersion.State.DRAFT).exists():
                raise ConflictError("This form already has a draft: change that one.")
            source = versions.filter(state=FormVersion.State.PUBLISHED).first()
            number = (versions.aggregate(last=Max("number"))["last"] or 0) + 1
            draft = FormVersion.objects.create(form=locked, number=number)
            if source:
                Question.objects.bulk_create(
                    Question(
                        version=draft,
                        position=question.position,
                        kind=question.kind,
                        text=question.text,
                        hint=question.hint,
                        required=question.required,
                        choices=question.choices,
                        key=question.key,
                    )
                    for question in source.questions.order_by("position", "pk")
                )
            FormEvent.write(
                kind=FormEvent.Kind.DRAFTED, actor=by, form=locked, note=f"Version {number}"
            )
    except IntegrityError:
        raise ConflictError("This form already has a draft: change that one.") from None
    return draft


def builtin_install(builtin: BuiltinForm, *, by=None) -> Form:
    """Create and publish one of the built-in forms, unless it exists already."""
    existing = Form.objects.filter(slug=builtin.slug).first()
    if existing:
        return existing
    try:
        return _builtin_create(builtin, by=by)
    except ConflictError:
        # Someone installed it at the same moment.
        return Form.objects.get(slug=builtin.slug)


def _builtin_create(builtin: BuiltinForm, *, by) -> Form:
    with transaction.atomic():
        form = form_create(
            by=by,
            title=builtin.title,
            anonymous=builtin.anonymous,
            introduction=builtin.introduction,
            slug=builtin.slug,
            kind=builtin.kind,
        )
        version = form.versions.get()
        for question in builtin.questions:
            question_add(
                version=version,
                by=by,
                kind=question.kind,
                text=question.text,
                hint=question.hint,
                required=question.required,
                choices=question.choices,
                key=question.key,
            )
        version_publish(version=version, by=by)
    return form


def builtins_install(*, by=None) -> list[Form]:
    return [builtin_install(builtin, by=by) for builtin in BUILTIN_FORMS]

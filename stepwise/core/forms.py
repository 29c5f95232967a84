"""Django form fields rendered through the NHS.UK frontend macros.

`field_params` turns a bound field into the macro to call and its parameters, so templates
never hand-write design-system markup; `error_list` feeds the one error-summary pattern.
"""

from django import forms
from django.forms.boundfield import BoundField

CHOICE_WIDGETS = {
    forms.RadioSelect: "radios",
    forms.CheckboxSelectMultiple: "checkboxes",
}


def _label(bound_field: BoundField, size: str | None, page_heading: bool) -> dict:
    label = {"text": bound_field.label}
    if size:
        label["size"] = size
    if page_heading:
        label["isPageHeading"] = True
    return label


def _widget_attributes(widget: forms.Widget) -> dict:
    skip = {"class", "autocomplete", "spellcheck", "inputmode", "id"}
    return {key: value for key, value in widget.attrs.items() if key not in skip}


def _checked(value, bound_value) -> bool:
    if isinstance(bound_value, (list, tuple, set)):
        return str(value) in {str(item) for item in bound_value}
    return bound_value is not None and str(value) == str(bound_value)


def field_params(
    bound_field: BoundField,
    label_size: str | None = None,
    page_heading: bool = False,
    hint: str | None = None,
    classes: str | None = None,
) -> tuple[str, dict]:
    """Which NHS macro renders this field, and with what parameters."""
    widget = bound_field.field.widget
    field_id = bound_field.auto_id
    params: dict = {"id": field_id, "name": bound_field.html_name}
    hint_text = hint if hint is not None else bound_field.help_text
    if hint_text:
        params["hint"] = {"text": str(hint_text)}
    if bound_field.errors:
        params["errorMessage"] = {"text": " ".join(str(error) for error in bound_field.errors)}
    if classes or widget.attrs.get("class"):
        params["classes"] = classes or widget.attrs["class"]
    attributes = _widget_attributes(widget)
    if bound_field.field.disabled:
        params["disabled"] = True

    macro = next((name for kind, name in CHOICE_WIDGETS.items() if isinstance(widget, kind)), None)
    if macro:
        legend = {"text": bound_field.label}
        if label_size:
            legend["size"] = label_size
        if page_heading:
            legend["isPageHeading"] = True
        params.pop("id")
        params["idPrefix"] = field_id
        params["fieldset"] = {"legend": legend}
        value = bound_field.value()
        params["items"] = [
            {
                "value": choice_value,
                "text": str(choice_label),
                "checked": _checked(choice_value, value),
            }
            for choice_value, choice_label in bound_field.field.choices
        ]
        if attributes:
            params["attributes"] = attributes
        return macro, params

    if isinstance(widget, forms.CheckboxInput):
        # A single yes/no box: the label sits beside the box, no fieldset legend needed.
        params.pop("id")
        params["idPrefix"] = field_id
        params["items"] = [
            {"value": "on", "text": bound_field.label, "checked": bool(bound_field.value())}
        ]
        if hint_text:
            params["items"][0]["hint"] = params.pop("hint")
        return "checkboxes", params

    params["label"] = _label(bound_field, label_size, page_heading)
    if attributes:
        params["attributes"] = attributes
    for key in ("autocomplete", "spellcheck", "inputmode"):
        if key in widget.attrs:
            params[key] = widget.attrs[key]

    if isinstance(widget, forms.Select):
        value = bound_field.value()
        params["items"] = [
            {
                "value": choice_value,
                "text": str(choice_label),
                "selected": _checked(choice_value, value),
            }
            for choice_value, choice_label in bound_field.field.choices
        ]
        return "select", params
    if isinstance(widget, forms.Textarea):
        params["value"] = bound_field.value() or ""
        if "rows" in widget.attrs:
            params["rows"] = widget.attrs["rows"]
        return "textarea", params
    if isinstance(widget, forms.PasswordInput):
        return "password-input", params
    if isinstance(widget, forms.FileInput):
        return "file-upload", params

    value = bound_field.value()
    params["value"] = "" if value is None else str(value)
    params["type"] = getattr(widget, "input_type", "text")
    return "input", params


def error_list(*forms_to_check: forms.BaseForm) -> list[dict]:
    """Every error on the page, each linking to its field, for the NHS error summary."""
    items: list[dict] = []
    for form in forms_to_check:
        if form is None or not form.errors:
            continue
        for error in form.non_field_errors():
            items.append({"text": str(error)})
        for bound_field in form:
            for error in bound_field.errors:
                items.append({"text": str(error), "href": f"#{bound_field.auto_id}"})
    return items

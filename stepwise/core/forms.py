"""Django form fields rendered through the NHS.UK frontend macros.

`field_params` turns a bound field into the macro to call and its parameters, so templates
never hand-write design-system markup; `error_list` feeds the one error-summary pattern.
"""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils import timezone

# Most specific first: Django's CheckboxSelectMultiple is a subclass of RadioSelect.
CHOICE_WIDGETS = {
    forms.CheckboxSelectMultiple: "checkboxes",
    forms.RadioSelect: "radios",
}


# The largest id a database integer holds (PostgreSQL's bigint; SQLite's integer).
MAX_ID = 2**63 - 1


def whole_number(value) -> int | None:
    """A number sent as text (an id, a version): ASCII digits within a database integer, else
    None. Not `str.isdigit()` then `int()`: "²" is a digit int() cannot read, and int() refuses
    more than 4,300 digits (both found by tests/fuzz)."""
    text = str(value).strip()
    if not (text.isascii() and text.isdecimal() and len(text) <= len(str(MAX_ID))):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


DATE_PARTS = ("day", "month", "year")
# Years a date in this service can sensibly have; outside them a typing slip is far likelier,
# and a year such as 9999 would break date arithmetic (a reminder a week later) downstream.
MIN_YEAR, MAX_YEAR = 1900, 2200
# Errors about the year alone, which mark only the year box.
YEAR_ERRORS = frozenset({"year", "too_early", "too_late"})


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes, posted as `<name>_day`, `<name>_month`, `<name>_year`."""

    use_fieldset = True

    def __init__(self, attrs=None):
        super().__init__(dict.fromkeys(DATE_PARTS, forms.TextInput), attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class DateInputField(forms.MultiValueField):
    """A date typed as day, month and year, checked the NHS way: one message naming what is
    wrong ("Due date must include a month"), and which boxes to mark.

    `noun` is how messages name the date ("due date" gives "Enter a due date");
    `not_in_past` refuses dates before today. Years before MIN_YEAR or after MAX_YEAR are refused.
    """

    widget = DateInputWidget

    def __init__(self, *, noun: str | None = None, not_in_past: bool = False, **kwargs):
        self.noun = noun or str(kwargs.get("label") or "date").lower()
        self.not_in_past = not_in_past
        kwargs.setdefault("help_text", "For example, 15 3 2027")
        parts = [forms.CharField(required=False) for _ in DATE_PARTS]
        super().__init__(fields=parts, require_all_fields=False, **kwargs)
        noun, article = self.noun, "an" if self.noun[:1] in "aeiou" else "a"
        subject = noun[:1].upper() + noun[1:]
        defaults = {
            "required": f"Enter {article} {noun}",
            "incomplete": subject + " must include a {parts}",
            "invalid": f"{subject} must be a real date",
            "year": "Year must include 4 numbers",
            "too_early": f"{subject} must be in {MIN_YEAR} or later",
            "too_late": f"{subject} must be in {MAX_YEAR} or earlier",
            "past": f"{subject} must be today or in the future",
        }
        self.error_messages = {**defaults, **(kwargs.get("error_messages") or {})}

    def clean(self, value):
        day, month, year = [str(part or "").strip() for part in (value or [None] * 3)]
        given = {"day": day, "month": month, "year": year}
        missing = [part for part in DATE_PARTS if not given[part]]
        if len(missing) == len(DATE_PARTS):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        if missing:
            raise ValidationError(
                self.error_messages["incomplete"].format(parts=" and ".join(missing)),
                code="incomplete",
            )
        if not all(given[part].isdigit() for part in DATE_PARTS):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(year) != 4:
            raise ValidationError(self.error_messages["year"], code="year")
        try:
            numbers = int(day), int(month), int(year)
        except ValueError:  # digits int() does not read, such as superscripts
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        day_number, month_number, year_number = numbers
        # Checked before date() is called: a day or month of many digits is an OverflowError.
        if not (1 <= day_number <= 31 and 1 <= month_number <= 12):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if year_number < MIN_YEAR:
            code = "past" if self.not_in_past else "too_early"
            raise ValidationError(self.error_messages[code], code=code)
        if year_number > MAX_YEAR:
            raise ValidationError(self.error_messages["too_late"], code="too_late")
        try:
            cleaned = date(year_number, month_number, day_number)
        except ValueError:  # 31 February
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if self.not_in_past and cleaned < timezone.localdate():
            raise ValidationError(self.error_messages["past"], code="past")
        return cleaned

    def compress(self, data_list):
        # Not reached: clean() above replaces MultiValueField's, which is what calls this.
        return self.clean(data_list)


def date_parts_in_error(bound_field: BoundField) -> list[str]:
    """Which of day, month and year to mark: the missing ones when only some are, the year
    when only it is wrong, else all."""
    if not bound_field.errors:
        return []
    value = bound_field.value()
    if not isinstance(value, (list, tuple)) or len(value) != len(DATE_PARTS):
        return list(DATE_PARTS)
    given = dict(zip(DATE_PARTS, value, strict=True))
    missing = [part for part in DATE_PARTS if not str(given[part] or "").strip()]
    if missing and len(missing) < len(DATE_PARTS):
        return missing
    errors = bound_field.form.errors.as_data().get(bound_field.name, [])
    if all(error.code in YEAR_ERRORS for error in errors):
        return ["year"]
    return list(DATE_PARTS)


def _date_input_params(bound_field: BoundField, params: dict, legend: dict) -> dict:
    value = bound_field.value()
    if not isinstance(value, (list, tuple)) or len(value) != len(DATE_PARTS):
        value = bound_field.field.widget.decompress(value)
    marked = date_parts_in_error(bound_field)
    params["fieldset"] = {"legend": legend}
    params["items"] = []
    for part, given in zip(DATE_PARTS, value, strict=True):
        item = {
            "id": f"{bound_field.auto_id}_{part}",
            "name": f"{bound_field.html_name}_{part}",
            "label": part.capitalize(),
            "value": "" if given is None else str(given),
            "width": 4 if part == "year" else 2,
        }
        # The macro marks every box when the field has an error; to mark only some, each
        # box is told whether it is one of them.
        if len(marked) < len(DATE_PARTS) and marked:
            item["error"] = part in marked
        params["items"].append(item)
    return params


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

    if isinstance(widget, DateInputWidget):
        legend = {"text": bound_field.label}
        if label_size:
            legend["size"] = label_size
        if page_heading:
            legend["isPageHeading"] = True
        return "date-input", _date_input_params(bound_field, params, legend)

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
                items.append({"text": str(error), "href": f"#{_error_target(bound_field)}"})
    return items


def _error_target(bound_field: BoundField) -> str:
    """Where an error summary link goes: a date's first box in error, else the field."""
    if isinstance(bound_field.field.widget, DateInputWidget):
        parts = date_parts_in_error(bound_field) or [DATE_PARTS[0]]
        return f"{bound_field.auto_id}_{parts[0]}"
    return bound_field.auto_id

"""The forms a page offers, read from its HTML as a browser would: where each posts, how it
is encoded, and each field's name, kind, choices and the value the page filled in."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# Fields the fuzzer leaves as the page gave them: changing the CSRF token tests Django, not us.
UNTOUCHED = {"csrfmiddlewaretoken"}
DATE_PARTS = ("_day", "_month", "_year")


@dataclass
class Field:
    name: str
    kind: str  # an input's type (text, hidden, file...), textarea, select, radio, checkbox,
    # submit (the buttons' names and values), or date (three boxes)
    default: str = ""
    choices: list[str] = field(default_factory=list)


@dataclass
class Form:
    method: str  # "get" (a filter) or "post"
    action: str  # a path, without the query
    query: str
    multipart: bool
    fields: dict[str, Field] = field(default_factory=dict)

    def defaults(self) -> dict[str, object]:
        """What submitting the form untouched sends (a date as its three boxes)."""
        data = {}
        for item in self.fields.values():
            if item.kind == "file":
                continue
            if item.kind == "date":
                for part, value in zip(DATE_PARTS, item.default.split("\0"), strict=True):
                    data[item.name + part] = value
            elif item.kind in ("radio", "checkbox"):
                if item.default:
                    data[item.name] = item.default
            else:
                data[item.name] = item.default
        return data


class _Forms(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.textarea: Field | None = None
        self.select: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            method = a.get("method", "get").lower()
            target = urlsplit(urljoin(self.page, a.get("action") or self.page))
            multipart = a.get("enctype", "") == "multipart/form-data"
            self.current = Form(method, target.path, target.query, multipart)
            self.forms.append(self.current)
            return
        form = self.current
        if form is None:
            return
        if tag == "option" and self.select is not None:
            value = a.get("value", "")
            self.select.choices.append(value)
            if "selected" in a or len(self.select.choices) == 1:
                self.select.default = value
            return
        name = a.get("name")
        if not name or "disabled" in a:
            return
        kind = a.get("type", "text").lower()
        if tag == "input" and kind in ("radio", "checkbox"):
            value = a.get("value", "on")
            item = self._choice(form, name, value, kind)
            if "checked" in a:
                item.default = value
        elif (tag == "input" and kind in ("submit", "image")) or (
            tag == "button" and kind == "submit"
        ):
            item = self._choice(form, name, a.get("value", ""), "submit")
            item.default = item.default or item.choices[0]
        elif tag == "input" and kind not in ("button", "reset"):
            value = a.get("value", "")
            if kind == "text" and (a.get("inputmode") == "numeric" or value.isdigit()):
                kind = "number"  # how the design system asks for whole numbers
            self._input(form, name, kind, value)
        elif tag == "textarea":
            self.textarea = form.fields.setdefault(name, Field(name, "textarea"))
        elif tag == "select":
            self.select = form.fields.setdefault(name, Field(name, "select"))

    def _choice(self, form, name, value, kind):
        item = form.fields.setdefault(name, Field(name, kind))
        if value not in item.choices:
            item.choices.append(value)
        return item

    def _input(self, form, name, kind, value):
        for part in DATE_PARTS:
            if name.endswith(part):
                base = name.removesuffix(part)
                item = form.fields.setdefault(base, Field(base, "date", "\0\0"))
                parts = item.default.split("\0")
                parts[DATE_PARTS.index(part)] = value
                item.default = "\0".join(parts)
                return
        form.fields[name] = Field(name, kind, value)

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.default += data


def forms_on(page: str, html: str) -> list[Form]:
    """The page's forms that send something (a search box, a filter, a POST)."""
    parser = _Forms(page)
    parser.feed(html)
    return [form for form in parser.forms if form.method == "post" or form.fields]


VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@dataclass
class Errors:
    summary: bool = False  # the NHS error summary is on the page
    listed: list[str] = field(default_factory=list)  # what it lists
    inline: list[str] = field(default_factory=list)  # the messages beside fields


class _Errors(HTMLParser):
    """The error summary's items and the error messages beside fields, as text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.errors = Errors()
        self.depth = 0
        self.capturing: list[tuple[int, list[str], list[str]]] = []  # (depth, into, parts)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        self.depth += 1
        classes = (dict(attrs).get("class") or "").split()
        if "nhsuk-error-summary" in classes:
            self.errors.summary = True
        if "nhsuk-u-visually-hidden" in classes and self.capturing:
            self.capturing.append((self.depth, [], []))  # "Error:", not the message
        elif "nhsuk-error-message" in classes:
            self.capturing.append((self.depth, self.errors.inline, []))
        elif tag == "li" and self._in_summary_list:
            self.capturing.append((self.depth, self.errors.listed, []))
        if "nhsuk-error-summary__list" in classes:
            self._in_summary_list = self.depth

    _in_summary_list = 0

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.capturing and self.capturing[-1][0] == self.depth:
            _, into, parts = self.capturing.pop()
            into.append(" ".join("".join(parts).split()))
        if self._in_summary_list == self.depth:
            self._in_summary_list = 0
        self.depth -= 1

    def handle_data(self, data):
        if self.capturing:
            self.capturing[-1][2].append(data)


def errors_on(html: str) -> Errors:
    parser = _Errors()
    parser.feed(html)
    return parser.errors

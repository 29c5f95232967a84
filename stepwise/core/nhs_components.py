"""The NHS.UK components, each rendered once per distinct set of parameters (issue 13).

An NHS component macro is a pure function of its `params`: it reads nothing else (no
request, no context), so the same parameters always make the same markup. Pages call the
same components with the same parameters over and over (the header for a person, the
footer, "Search" buttons, "Overdue" tags, an empty search box), and rendering them was
most of a page's CPU. So the loader serves each component's `macro.jinja` rewritten to hand
its parameters to `render`, which keeps what it made in a table of this process (bounded
in entries and in characters, least recently used out), under a key spelling out every
parameter with its exact type, in its own order (so `"<b>"` and `Markup("<b>")`, which
render differently, never share a key).

Not kept: a call with a `{% call %}` body (the caller's output is not in the key),
parameters holding anything but dicts, lists, strings, numbers, booleans and None, and very
large parameters (a long table is rarely asked for twice). Those render as before. A macro
file not of the package's usual shape is served unchanged.
"""

import re
import threading
from collections import OrderedDict

from django.utils.safestring import SafeString
from jinja2 import BaseLoader, Environment
from markupsafe import Markup

# A component's macro.jinja in nhsuk-frontend-jinja 0.10.2: a macro of `params`, an optional
# no-op reading of `caller` (so it can be called with a body), and an include of its template.
MACRO_SHAPE = re.compile(
    r"\{% macro (?P<name>\w+)\(params = \{\}\) %\}\n"
    r"(?P<caller>  \{%- if caller -%\}\n  \{# noop for Jinja support #\}\n  \{%- endif -%\}\n)?"
    r"  \{%- include \"(?P<template>nhsuk/components/[\w-]+/template\.jinja)\" -%\}\n"
    r"\{% endmacro %\}\n?"
)
GLOBAL_NAME = "nhsuk_component"
TABLE_SIZE = 4096
# And at most this many characters of markup and keys in all (a header is about 3,000).
TABLE_CHARACTERS = 8_000_000
# Parameters whose key is longer than this (characters, and PART_COST a part) are rendered
# each time: long tables and lists.
LONGEST_KEY = 8192

# key -> (markup, characters it counts for: the markup's and the key's)
_kept: OrderedDict[tuple, tuple[Markup, int]] = OrderedDict()
_characters = 0
_lock = threading.Lock()


class KeptComponentsLoader(BaseLoader):
    """Wraps the NHS.UK package's loader: each component's macro.jinja calls `render`."""

    def __init__(self, package_loader: BaseLoader):
        self.package_loader = package_loader

    def get_source(self, environment, template):
        source, filename, uptodate = self.package_loader.get_source(environment, template)
        if template.startswith("nhsuk/components/") and template.endswith("/macro.jinja"):
            source = rewritten(source)
        return source, filename, uptodate

    def list_templates(self):
        return self.package_loader.list_templates()


def rewritten(source: str) -> str:
    """The macro's source calling `render`, or the source itself if not of the usual shape."""
    match = MACRO_SHAPE.fullmatch(source)
    if match is None:
        return source
    # The macro reads `caller` (so Jinja lets it take a body) only where the original did.
    caller = "caller" if match["caller"] else "none"
    return (
        f"{{% macro {match['name']}(params = {{}}) %}}"
        f"{{{{ {GLOBAL_NAME}({match['template']!r}, params, {caller}) }}}}"
        "{% endmacro %}"
    )


# What a part of a key costs beyond its characters, so that a table of numbers is bounded too.
PART_COST = 8
STRINGS = (str, Markup, SafeString)


def _key(value, budget: list[int]):
    """A hashable spelling of `value` with each part's exact type, in its own order, or None
    if it holds something else or grows past the budget. Exact: Jinja's and Django's safe
    strings differ under `trim`, dicts print in insertion order, 0.0 and -0.0 differ."""
    kind = type(value)
    budget[0] -= PART_COST
    if kind in STRINGS:
        budget[0] -= len(value)
        return None if budget[0] < 0 else (kind.__name__, value)
    if kind is float:
        return ("float", value.hex())
    if value is None or kind is bool or kind is int:
        return (kind.__name__, value)
    if kind is dict:
        parts = []
        for name, item in value.items():
            if type(name) is not str:
                return None
            budget[0] -= len(name)
            part = _key(item, budget)
            if part is None:
                return None
            parts.append((name, part))
        return ("dict", tuple(parts))
    if kind is list or kind is tuple:
        parts = []
        for item in value:
            part = _key(item, budget)
            if part is None:
                return None
            parts.append(part)
        return (kind.__name__, tuple(parts))
    return None


def _rendered(environment: Environment, template: str, **variables) -> Markup:
    # The component templates are .jinja, which the environment autoescapes: their output
    # is escaped markup, as the macro's own would be.
    return Markup(environment.get_template(template).render(**variables))  # noqa: S704


def render(environment: Environment, template: str, params, caller=None) -> Markup:
    """The component's markup for these parameters, kept when they can be keyed."""
    if caller:
        return _rendered(environment, template, params=params, caller=caller)
    budget = [LONGEST_KEY]
    key = _key(params, budget)
    if key is not None and budget[0] >= 0:
        key = (template, key)
        with _lock:
            kept = _kept.get(key)
            if kept is not None:
                _kept.move_to_end(key)
                return kept[0]
    else:
        key = None  # not keyable, or too long to keep
    made = _rendered(environment, template, params=params)
    if key is not None:
        _keep(key, made, size=len(made) + LONGEST_KEY - budget[0])
    return made


def _keep(key: tuple, made: Markup, size: int) -> None:
    """Keep `made` under `key`; `size` counts the markup and the key."""
    global _characters
    with _lock:
        if key in _kept:  # made by another thread meanwhile
            return
        _kept[key] = (made, size)
        _characters += size
        while len(_kept) > TABLE_SIZE or _characters > TABLE_CHARACTERS:
            _characters -= _kept.popitem(last=False)[1][1]


def forget() -> None:
    """Empty the table (tests that compare with a fresh rendering)."""
    global _characters
    with _lock:
        _kept.clear()
        _characters = 0

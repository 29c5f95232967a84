"""The Jinja2 environment every page renders with.

Our templates come first and the NHS.UK macros second, so an app can override a component.
ChainableUndefined lets the NHS macros read optional nested parameters (`params.hint.text`)
that a caller did not give.
"""

import re
from functools import lru_cache, partial

from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from stepwise.core import formatting, nhs_components
from stepwise.core.forms import error_list, field_params
from stepwise.core.page_urls import page_url
from stepwise.core.versioned_cache import kept_markup


def url(name: str, *args, **kwargs) -> str:
    if kwargs:
        return reverse(name, args=args or None, kwargs=kwargs)
    return page_url(name, *args)


def squeeze(html) -> Markup:
    """Markup with each run of whitespace made one space. The NHS macros indent generously,
    and a component stamped on every row of a long list (ADR 4) repeats that hundreds of
    times. Only for markup without <pre> or a <textarea> holding text."""
    # Split as a plain string: Markup's own split and join make and escape a Markup for
    # every word (the review page's 2,000 a request). Whitespace changes nothing escaped.
    return Markup(" ".join(str(escape(html)).split()))  # noqa: S704


def fill(stamp, values: dict) -> Markup:
    """A stamp (markup rendered once with placeholders, ADR 4) with each placeholder
    replaced by its value, escaped unless it is markup already. One pass over the stamp, so
    a value is never searched for the placeholders after it (as chained `replace` filters
    would: a reflection that happened to hold one)."""
    if not values:
        return escape(stamp)
    # A stamp that is markup already is looked up as it is: the same object on every row, so
    # its hash is worked out once, where an escaped copy would be hashed afresh each time.
    parts = _stamp_parts(stamp if isinstance(stamp, Markup) else escape(stamp), tuple(values))
    made = [parts[0]]
    for at in range(1, len(parts), 2):
        made += (escape(values[parts[at]]), parts[at + 1])
    # Safe: the stamp's text is markup (escaped above if it was not) and each value escaped.
    return Markup("".join(made))  # noqa: S704


@lru_cache(maxsize=256)
def _stamp_parts(stamp: str, placeholders: tuple[str, ...]) -> list[str]:
    """The stamp split at its placeholders: text, placeholder, text, ... text."""
    longest_first = sorted(placeholders, key=len, reverse=True)
    return re.split(f"({'|'.join(map(re.escape, longest_first))})", stamp)


@lru_cache(maxsize=512)
def kept_static(path: str) -> str:
    """`static()`, kept per path: each page links ten or so files, and the manifest lookup
    and URL joining cost about 10 µs each time for the same answer. (The storage fixes its
    address when it is made, so the answer depends on nothing else but the settings.)"""
    return static(path)


@receiver(setting_changed)
def _forget_static(setting, **kwargs):
    if setting in {"STATIC_URL", "STORAGES", "STATIC_ROOT", "FORCE_SCRIPT_NAME"}:
        kept_static.cache_clear()


class _Environment(Environment):
    def make_globals(self, d):
        """A template's globals as one plain dict rather than Jinja's ChainMap over the
        environment's. Each `{% from ... import %}` compares the page's globals with the
        imported template's: about 7 µs over a ChainMap, 0.3 µs over a dict, and a page
        makes 15 to 20 imports. The environment's globals are all set before any template
        loads (`environment` below), so a copy misses nothing."""
        return {**self.globals, **(d or {})}


def environment(**options) -> Environment:
    app_loader = options.pop("loader")
    options["undefined"] = ChainableUndefined
    # HTML pages are escaped; plain-text emails (.txt) are not, so names read as typed.
    options["autoescape"] = select_autoescape(
        enabled_extensions=("html", "jinja", "xml"), default_for_string=True, default=False
    )
    env = _Environment(
        loader=ChoiceLoader(
            [
                app_loader,
                # Each NHS component kept per distinct set of parameters (issue 13).
                nhs_components.KeptComponentsLoader(
                    PackageLoader("nhsuk_frontend_jinja", "templates")
                ),
            ]
        ),
        extensions=["jinja2.ext.do"],
        **options,
    )
    env.globals.update(
        {
            nhs_components.GLOBAL_NAME: partial(nhs_components.render, env),
            "static": kept_static,
            "url": url,
            "get_messages": get_messages,
            "field_params": field_params,
            "error_list": error_list,
            "now": timezone.now,
            "kept_markup": kept_markup,
        }
    )
    env.filters.update(
        {
            "date": formatting.date,
            "datetime": formatting.date_time,
            "age": formatting.age,
            "squeeze": squeeze,
            "fill": fill,
        }
    )
    return env

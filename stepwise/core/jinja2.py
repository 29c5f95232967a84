"""The Jinja2 environment every page renders with.

Our templates come first and the NHS.UK macros second, so an app can override a component.
ChainableUndefined lets the NHS macros read optional nested parameters (`params.hint.text`)
that a caller did not give.
"""

from functools import partial

from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from stepwise.core import formatting, nhs_components
from stepwise.core.forms import error_list, field_params
from stepwise.core.versioned_cache import kept_markup


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def squeeze(html) -> Markup:
    """Markup with each run of whitespace made one space. The NHS macros indent generously,
    and a component stamped on every row of a long list (ADR 4) repeats that hundreds of
    times. Only for markup without <pre> or a <textarea> holding text."""
    return Markup(" ").join(escape(html).split())


def environment(**options) -> Environment:
    app_loader = options.pop("loader")
    options["undefined"] = ChainableUndefined
    # HTML pages are escaped; plain-text emails (.txt) are not, so names read as typed.
    options["autoescape"] = select_autoescape(
        enabled_extensions=("html", "jinja", "xml"), default_for_string=True, default=False
    )
    env = Environment(
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
            "static": static,
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
        }
    )
    return env

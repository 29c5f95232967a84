"""The `squeeze` filter that stamped components (ADR 4) go through."""

from markupsafe import Markup

from stepwise.core.jinja2 import squeeze


def test_runs_of_whitespace_become_one_space():
    assert squeeze(Markup('<label\n    \n   class="x">\n  Confirm\n</label>\n')) == Markup(
        '<label class="x"> Confirm </label>'
    )


def test_text_that_is_not_markup_is_escaped_first():
    assert squeeze("<b>  O'Neill </b>") == Markup("&lt;b&gt; O&#39;Neill &lt;/b&gt;")

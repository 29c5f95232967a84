"""Pages are written in Markdown: rendered with markdown-it-py, then sanitised with nh3.

Two locks, so that a page's author can never run script in a reader's browser: markdown-it
runs without raw HTML (a `<script>` in the text is shown as text, and it refuses
`javascript:` and `data:` link targets), and nh3 then keeps only the tags and attributes a
page needs, links only to http, https and mailto addresses (no event attributes, no styles).
"""

import math
import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

WORDS_PER_MINUTE = 200
READING_RULE = f"at {WORDS_PER_MINUTE} words a minute, rounded up to the next half minute"

_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "a",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"scope"}}
_SCHEMES = {"http", "https", "mailto"}
_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")

    # The page's title is its only h1: a "#" heading in the text becomes h2, and so on.
    def heading_open(renderer, tokens, idx, options, env):
        token = tokens[idx]
        level = min(int(token.tag[1]) + 1, 6)
        return f"<h{level}>"

    def heading_close(renderer, tokens, idx, options, env):
        level = min(int(tokens[idx].tag[1]) + 1, 6)
        return f"</h{level}>\n"

    md.add_render_rule("heading_open", heading_open)
    md.add_render_rule("heading_close", heading_close)
    return md


_md = _parser()


def render(text: str) -> Markup:
    """Safe HTML for a page's Markdown."""
    html = _md.render(text or "")
    return Markup(  # noqa: S704  (nh3 has just sanitised it)
        nh3.clean(
            html,
            tags=_TAGS,
            attributes=_ATTRIBUTES,
            url_schemes=_SCHEMES,
            clean_content_tags={"script", "style"},
            link_rel="noopener noreferrer",
        )
    )


def plain_text(text: str) -> str:
    """What a reader reads of the Markdown: the text without its markup or link targets."""
    return nh3.clean(_md.render(text or ""), tags=set())


def word_count(*texts: str) -> int:
    return sum(len(_WORD.findall(plain_text(text))) for text in texts)


def reading_seconds(words: int) -> int:
    """At 200 words a minute, rounded up to the next 30 seconds; never less than 30."""
    if words <= 0:
        return 30
    seconds = words * 60 / WORDS_PER_MINUTE
    return max(30, math.ceil(seconds / 30) * 30)


def duration(seconds: int) -> str:
    """ "3 minutes 30 seconds", "1 minute", "30 seconds"."""
    minutes, rest = divmod(seconds, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'' if minutes == 1 else 's'}")
    if rest or not minutes:
        parts.append(f"{rest} second{'' if rest == 1 else 's'}")
    return " ".join(parts)

"""Pages are Markdown, rendered safe whatever an author (or someone who took over an author's
account) writes, and every page states its reading time by a stated rule."""

from html.parser import HTMLParser

import pytest

from stepwise.training import markdown


class Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script>",
        "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](  javascript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="#" onclick="alert(1)">x</a>',
        '<img src="x" onerror="alert(1)">',
        "![x](javascript:alert(1))",
        '<p onmouseover="alert(1)">hover</p>',
        "<iframe src=https://evil.example></iframe>",
    ],
)
def test_script_links_and_event_attributes_are_neutralised(text):
    elements = Elements(str(markdown.render(text))).found
    tags = {tag for tag, _attrs in elements}
    assert not tags & {"script", "iframe", "img", "style"}
    for _tag, attrs in elements:
        assert not [name for name in attrs if name.startswith("on")]
        assert not [name for name in attrs if name in ("style", "src")]
        href = (attrs.get("href") or "").strip().lower()
        assert href == "" or href.startswith(("https:", "http:", "mailto:"))


def test_markdown_becomes_headings_lists_and_safe_links():
    html = str(
        markdown.render("# Welcome\n\nRead **this**.\n\n- one\n- two\n\n[NHS](https://www.nhs.uk)")
    )
    # The page's own title is its h1, so the text's headings start at h2.
    assert "<h2>Welcome</h2>" in html
    assert "<strong>this</strong>" in html
    assert "<li>one</li>" in html
    assert '<a href="https://www.nhs.uk" rel="noopener noreferrer">NHS</a>' in html


@pytest.mark.parametrize(
    ("words", "reads"),
    [
        (0, "30 seconds"),
        (1, "30 seconds"),
        (100, "30 seconds"),
        (200, "1 minute"),
        (201, "1 minute 30 seconds"),
        (700, "3 minutes 30 seconds"),
        (1000, "5 minutes"),
    ],
)
def test_reading_time_is_200_words_a_minute_rounded_up_to_half_minutes(words, reads):
    assert markdown.duration(markdown.reading_seconds(words)) == reads


def test_words_are_counted_in_what_a_reader_reads():
    assert markdown.word_count("Hello **world**, it's [me](https://example.org/a/b/c)") == 4

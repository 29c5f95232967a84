"""Reading a page's tables back as text, as a person sees them (without the words kept for
screen readers or the headings repeated in each cell on small screens), with their links."""

from html.parser import HTMLParser

HIDDEN = ("nhsuk-u-visually-hidden", "nhsuk-table__heading")


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: dict[str, list[list[str]]] = {}
        self.caption = None
        self.rows = self.hrefs = None
        self.cell = self.href = None
        self.hidden = 0
        self.in_caption = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "span" and (self.hidden or any(c in (attrs.get("class") or "") for c in HIDDEN)):
            self.hidden += 1
        elif tag == "table":
            self.rows, self.hrefs, self.caption = [], [], ""
        elif tag == "caption":
            self.in_caption = True
        elif tag == "tr" and self.rows is not None:
            self.rows.append([])
            self.hrefs.append([])
        elif tag in ("td", "th") and self.rows is not None:
            self.cell, self.href = "", ""
        elif tag == "a" and self.cell is not None:
            self.href = attrs.get("href", "")

    def handle_endtag(self, tag):
        if tag == "span" and self.hidden:
            self.hidden -= 1
        elif tag == "caption":
            self.in_caption = False
        elif tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join(self.cell.split()))
            self.hrefs[-1].append(self.href)
            self.cell = None
        elif tag == "table" and self.rows is not None:
            self.tables[self.caption.strip()] = self.rows
            self.links[self.caption.strip()] = self.hrefs
            self.rows = None

    def handle_data(self, data):
        if self.hidden:
            return
        if self.in_caption:
            self.caption += data
        elif self.cell is not None:
            self.cell += data


def page_tables(html: str) -> tuple[dict, dict]:
    """{caption: rows of cell text}, and {caption: rows of each cell's link ("" for none)}."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables, parser.links


def body(response) -> bytes:
    """A download's bytes, streamed or not."""
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content

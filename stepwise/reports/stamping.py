"""A figure's table rendered through the NHS table macro once per kind of row, with
placeholders, and every row a copy with its own values (ADR 4): the macro cost most of a
dashboard's time (47 rows, ~90% of its CPU at national size), and its markup is unchanged.

A kind of row is which cells are links, numbers or text. Values are escaped as they go in,
in one pass, so a value that looks like a placeholder stays as it is.

The macro's table of placeholders depends only on the table's caption, headings and kinds of
row, so the macro's call is the same on every request for a table of the same shape, and
is kept between requests like every NHS component (ADR 20).
"""

import re

from markupsafe import Markup, escape

PLACEHOLDER = re.compile(r"__([CHR])(\d*)__")
BODY = re.compile(r'(<tbody class="nhsuk-table__body">)(.*?)(</tbody>)', re.DOTALL)
ROW = re.compile(r"<tr\b.*?</tr>", re.DOTALL)
# As reports/macros.jinja wrote each link cell; `format` escapes the heading.
LINK = Markup(
    '<a class="nhsuk-link" href="__H{index}__">__C{index}__'
    '<span class="nhsuk-u-visually-hidden"> __R__: {head}</span></a>'
)


def shape(row) -> tuple[str, ...]:
    kinds = []
    for index, cell in enumerate(row):
        if cell.href:
            kinds.append("link")
        elif index and isinstance(cell.value, int) and not isinstance(cell.value, bool):
            kinds.append("number")
        else:
            kinds.append("text")
    return tuple(kinds)


def shapes(table) -> list[tuple[str, ...]]:
    return list(dict.fromkeys(shape(row) for row in table.rows))


def _placeholder(table, index: int, kind: str) -> dict:
    if index == 0:
        cell = {"text": "__C0__"}
        return cell | {"href": "__H0__"} if kind == "link" else cell
    if kind == "link":
        return {
            "html": LINK.format(index=index, head=table.head[index]),
            "format": "numeric",
        }
    if kind == "number":
        return {"text": f"__C{index}__", "format": "numeric"}
    return {"text": f"__C{index}__"}


def placeholder_rows(table) -> list[list[dict]]:
    """One row of placeholders for each kind of row, for the macro."""
    return [
        [_placeholder(table, index, kind) for index, kind in enumerate(kinds)]
        for kinds in shapes(table)
    ]


def stamp(table, html) -> Markup:
    """The macro's table (made from `placeholder_rows`) with a copy of the right row for
    each of the table's rows."""
    html = escape(html)  # the macro's output is Markup already: unchanged
    body = BODY.search(html)
    if body is None or not table.rows:
        return html
    stamps = dict(zip(shapes(table), ROW.findall(body.group(2)), strict=True))

    def fill(row) -> str:
        def value(match) -> str:
            kind, index = match.group(1), match.group(2)
            if kind == "R":
                return str(escape(row[0].value))
            cell = row[int(index)]
            return str(escape(cell.href if kind == "H" else cell.value))

        return PLACEHOLDER.sub(value, stamps[shape(row)])

    # The macro's own markup, with the values escaped as they went in.
    rows = Markup("\n    ".join(fill(row) for row in table.rows))  # noqa: S704
    return html[: body.start(2)] + Markup("\n    ") + rows + Markup("\n  ") + html[body.end(2) :]

"""A figure's table stamped row by row is the NHS macro's own markup, with every value
escaped once."""

from django.template import engines

from stepwise.reports.presenters import Cell, Table

# How each row went through the macro before stamping (reports/macros.jinja).
THROUGH_THE_MACRO = """
{%- from "nhsuk/components/tables/macro.jinja" import table as nhsukTable -%}
{%- set rows = [] %}{% set head = [] %}
{%- for text in figure.head %}
  {%- do head.append({"text": text, "format": "numeric" if not loop.first else ""}) %}
{%- endfor %}
{%- for row in figure.rows %}{% set cells = [] %}
  {%- for cell in row %}
    {%- if cell.href and loop.first %}{% do cells.append({"text": cell.value, "href": cell.href}) %}
    {%- elif cell.href %}{% set link %}<a class="nhsuk-link" href="{{ cell.href }}">
      {{- cell.value }}<span class="nhsuk-u-visually-hidden"> {{ row[0].value }}: {{
      figure.head[loop.index0] }}</span></a>{% endset %}
      {%- do cells.append({"html": link, "format": "numeric"}) %}
    {%- elif cell.value is number %}
      {%- do cells.append({"text": cell.value | string, "format": "numeric"}) %}
    {%- else %}{% do cells.append({"text": cell.value}) %}{% endif %}
  {%- endfor %}{% do rows.append(cells) %}
{%- endfor %}
{{- nhsukTable({"caption": figure.title, "captionClasses": "nhsuk-u-visually-hidden",
  "responsive": true, "firstCellIsHeader": true, "head": head, "rows": rows}) }}
"""
STAMPED = """{% from "reports/macros.jinja" import figure_table %}{{ figure_table(figure) }}"""


def render(source: str, figure: Table) -> str:
    return " ".join(engines["jinja2"].from_string(source).render({"figure": figure}).split())


def test_stamped_rows_equal_the_macros_rows_with_values_escaped_once():
    figure = Table(
        "t",
        "Mixed <rows>",
        ["Who", "Count", "Note"],
        [
            [Cell("Ward <A> & B", "/a?x=1&y=2"), Cell(3, "/list?show=1&f=2"), Cell("O'Neill")],
            [Cell("__C1__ looks like a placeholder"), Cell(0), Cell("__R__")],
            [Cell("Plain"), Cell(12, "/l"), Cell("<script>alert(1)</script>")],
            [Cell("Again"), Cell(7), Cell("1.5")],
        ],
    )
    stamped = render(STAMPED, figure)
    assert stamped == render(THROUGH_THE_MACRO, figure)
    assert "<script>" not in stamped
    assert "__C1__ looks like a placeholder" in stamped


def test_a_table_without_rows_is_the_macros_too():
    figure = Table("t", "Empty", ["Who", "Count"], [])
    assert render(STAMPED, figure) == render(THROUGH_THE_MACRO, figure)


def test_tables_of_one_shape_stamp_each_their_own_values():
    # The placeholder table is the same for both (kept between requests, ADR 20).
    first = Table("t", "Kept", ["Who", "Count"], [[Cell("A"), Cell(1, "/a")]])
    later = Table(
        "t", "Kept", ["Who", "Count"], [[Cell("B <b>"), Cell(2, "/b")], [Cell("C"), Cell(3, "/c")]]
    )
    assert render(STAMPED, first) == render(THROUGH_THE_MACRO, first)
    assert render(STAMPED, later) == render(THROUGH_THE_MACRO, later)
    other = Table("t", "Kept", ["Who", "Total"], [[Cell("A"), Cell(1)]])
    assert render(STAMPED, other) == render(THROUGH_THE_MACRO, other)


LIST_THROUGH_THE_MACRO = """
{%- from "nhsuk/components/tables/macro.jinja" import table as nhsukTable -%}
{%- set rows = [] %}{% set head = [] %}
{%- for text in figure.head %}{% do head.append({"text": text}) %}{% endfor %}
{%- for row in figure.rows %}{% set cells = [] %}
  {%- for cell in row %}
    {%- if cell.href %}{% do cells.append({"text": cell.value, "href": cell.href}) %}
    {%- else %}{% do cells.append({"text": cell.value}) %}{% endif %}
  {%- endfor %}{% do rows.append(cells) %}
{%- endfor %}
{{- nhsukTable({"caption": figure.title, "captionSize": "m", "responsive": true,
  "firstCellIsHeader": true, "head": head, "rows": rows}) }}
"""


def test_a_named_lists_page_is_the_macros_own_table():
    figure = Table(
        "learners",
        "3 learners",
        ["Learner", "Framework", "Unit", "Started", "Due date"],
        [
            [
                Cell('Ann <b> & "Bo"', "/enrolments/1/?a=1&b=2"),
                *map(Cell, ["Step 1", "ICU", "1 Dec", "Not set"]),
            ],
            [
                Cell("__C0__ O'Neill", "/enrolments/2/"),
                *map(Cell, ["<i>", "__R__", "2 Dec", "3 Jan"]),
            ],
            [Cell("No link"), *map(Cell, ["Step 2", "No unit", "3 Dec", "4 Jan"])],
        ],
    )
    stamped = render(
        '{% from "reports/macros.jinja" import list_table %}{{ list_table(figure) }}', figure
    )
    assert stamped == render(LIST_THROUGH_THE_MACRO, figure)
    assert "<b>" not in stamped and "<i>" not in stamped

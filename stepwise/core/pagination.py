"""The NHS pagination component's parameters for a page of any list."""

from django.core.paginator import Page
from django.http import QueryDict


def pagination(page: Page, query: QueryDict) -> dict | None:
    """Parameters for the NHS pagination macro, keeping the filters in every link; None
    when everything fits on one page."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None

    def href(number: int) -> str:
        params = query.copy()
        params["page"] = str(number)
        return f"?{params.urlencode()}"

    items = []
    for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append({"number": number, "href": href(number), "current": number == page.number})
    params: dict = {"items": items}
    if page.has_previous():
        params["previous"] = {"href": href(page.previous_page_number())}
    if page.has_next():
        params["next"] = {"href": href(page.next_page_number())}
    return params

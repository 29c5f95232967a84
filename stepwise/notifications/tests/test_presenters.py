import pytest

from stepwise.notifications.presenters import safe_href


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("/to-review/3/", "/to-review/3/"),
        ("", None),
        ("https://example.com/", None),
        ("//example.com/", None),
        ("/\\example.com/", None),
        ("javascript:alert(1)", None),
    ],
)
def test_only_links_within_the_service_are_linked(url, href):
    assert safe_href(url) == href

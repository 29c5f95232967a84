"""What the home page offers each person: a card for each page they reach, the same pages
as the header navigation (plus a few only on the home page), with a line saying what each
is for. The apps register the pages (`stepwise.core.navigation`)."""

from dataclasses import dataclass

from django.urls import reverse

from stepwise.core.navigation import visible_pages


@dataclass(frozen=True)
class Card:
    title: str
    href: str
    description: str


def home_sections(request) -> list[Card]:
    return [
        Card(page.label, reverse(page.url_name), page.description)
        for page in visible_pages(request)
        if page.on_home
    ]

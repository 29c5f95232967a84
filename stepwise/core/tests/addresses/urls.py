"""Patterns `page_url` must answer exactly as `reverse` does (test_page_urls.py)."""

from django.http import HttpResponse
from django.urls import path, re_path, register_converter


def _page(request, **ids):
    return HttpResponse("A page")


class HexNumber:
    """Writes its id in hexadecimal: the stand-ins are not in the address as given."""

    regex = "[0-9a-f]+"

    def to_python(self, value):
        return int(value, 16)

    def to_url(self, value):
        return f"{value:x}"


register_converter(HexNumber, "hex")

urlpatterns = [
    path("", _page, name="home"),
    path("wards/<int:ward>/beds/<int:bed>/", _page, name="bed"),
    path("wards/<int:ward>/", _page, name="ward"),
    path("labels/<slug:label>/", _page, name="label"),
    path("hex/<hex:number>/", _page, name="hex"),
    re_path(r"^short/(?P<number>[0-9]{1,3})/$", _page, name="short"),
]

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as service_urls


def _page(request):
    return HttpResponse("A rota")


rotas = (
    [path("", _page, name="index"), path("archive/", _page, name="archive")],
    "rotas",
)

# The service's own pages plus the made-up app's (ROOT_URLCONF while it is installed).
urlpatterns = [*service_urls, path("rotas/", include(rotas))]

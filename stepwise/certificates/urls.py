from django.urls import path

from stepwise.certificates import views

app_name = "certificates"

urlpatterns = [
    path("certificates/<uuid:serial>/download/", views.download, name="download"),
]

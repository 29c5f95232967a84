from django.urls import path

from stepwise.passports import views

app_name = "passports"

urlpatterns = [
    path("my-proficiencies/passport/", views.download, name="download"),
    path("my-proficiencies/passport/import/", views.import_passport, name="import"),
    path(
        "enrolments/<int:enrolment_id>/prior-attainment/",
        views.prior_attainment,
        name="prior_attainment",
    ),
]

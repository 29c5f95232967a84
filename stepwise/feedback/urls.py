from django.urls import path

from stepwise.feedback import views

app_name = "feedback"

urlpatterns = [
    path("feedback/<slug:slug>/", views.answer_form, name="answer"),
    path("feedback/<slug:slug>/thank-you/", views.answered, name="answered"),
]

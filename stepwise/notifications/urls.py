from django.urls import path

from stepwise.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/mark-all-read/", views.mark_all_read, name="mark_read"),
]

from django.urls import path

from puente.core import views, views_notifications

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("about/", views.about, name="about"),
    path("notifications/", views_notifications.notification_list, name="notifications"),
    path("notifications/count/", views_notifications.notification_count, name="notification_count"),
    path(
        "notifications/read/",
        views_notifications.notifications_read_all,
        name="notifications_read_all",
    ),
    path(
        "notifications/<int:pk>/open/",
        views_notifications.notification_open,
        name="notification_open",
    ),
]

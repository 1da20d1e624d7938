from django.urls import path

from puente.spaces import views, views_community

app_name = "spaces"

urlpatterns = [
    path("", views.space_list, name="list"),
    path("bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<int:pk>/calendar.ics", views.booking_ics, name="booking_ics"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/check-in/", views.booking_check_in, name="booking_check_in"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/", views.approval_decide, name="approval_decide"),
    path("feeds/", views.feed_create, name="feed_create"),
    path("feeds/<int:pk>/revoke/", views.feed_revoke, name="feed_revoke"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("events/", views_community.event_list, name="events"),
    path("events/<slug:slug>/", views_community.event_detail, name="event"),
    path("events/<slug:slug>/register/", views_community.event_register, name="event_register"),
    path(
        "events/<slug:slug>/check-in/<int:pk>/",
        views_community.event_check_in,
        name="event_check_in",
    ),
    path("events/<slug:slug>/calendar.ics", views_community.event_ics, name="event_ics"),
    path("office-hours/", views_community.office_hours, name="office_hours"),
    path(
        "office-hours/publish/", views_community.office_hours_publish, name="office_hours_publish"
    ),
    path("office-hours/<int:pk>/book/", views_community.session_book, name="session_book"),
    path("office-hours/sessions/", views_community.sessions, name="sessions"),
    path(
        "office-hours/sessions/<int:pk>/record/",
        views_community.session_record,
        name="session_record",
    ),
    path(
        "office-hours/sessions/<int:pk>/cancel/",
        views_community.session_cancel,
        name="session_cancel",
    ),
    path(
        "office-hours/sessions/<int:pk>/calendar.ics",
        views_community.session_ics,
        name="session_ics",
    ),
    path("<slug:slug>/", views.space_detail, name="space"),
]

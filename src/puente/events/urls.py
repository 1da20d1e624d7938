from django.urls import path

from puente.events import views, views_organize

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views_organize.event_create, name="create"),
    path("requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
    path("requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("calendar/<str:key>.ics", views.agenda_feed, name="agenda_feed"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/register/", views.event_register, name="register"),
    path("<slug:slug>/withdraw/", views.event_withdraw, name="withdraw"),
    path("<slug:slug>/check-in/", views.self_check_in, name="self_check_in"),
    path(
        "<slug:slug>/check-in/<str:code>/",
        views_organize.check_in_by_code,
        name="check_in_code",
    ),
    path("<slug:slug>/check-in-desk/", views_organize.check_in_scan, name="check_in_scan"),
    path(
        "<slug:slug>/participants/<int:pk>/request/",
        views.meeting_request_new,
        name="request_new",
    ),
    path("<slug:slug>/requests/", views.my_requests, name="requests"),
    path("<slug:slug>/requests/accept-all/", views.requests_accept_all, name="requests_accept_all"),
    path("<slug:slug>/suggestions/", views.suggestions, name="suggestions"),
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("<slug:slug>/agenda/subscribe/", views.agenda_feed_key, name="agenda_feed_key"),
    path(
        "<slug:slug>/agenda/meetings/<int:pk>/feedback/",
        views.meeting_feedback,
        name="meeting_feedback",
    ),
    path("<slug:slug>/edit/", views_organize.event_edit, name="edit"),
    path("<slug:slug>/copy/", views_organize.event_copy, name="copy"),
    path("<slug:slug>/organize/", views_organize.organize, name="organize"),
    path("<slug:slug>/organize/schedule.csv", views_organize.schedule_csv, name="schedule_csv"),
    path("<slug:slug>/organize/results/", views_organize.results, name="results"),
    path("<slug:slug>/organize/feedback.csv", views_organize.feedback_csv, name="feedback_csv"),
    path(
        "<slug:slug>/organize/participants.csv",
        views_organize.participants_csv,
        name="participants_csv",
    ),
    path(
        "<slug:slug>/organize/announcements/",
        views_organize.announcements,
        name="announcements",
    ),
    path("<slug:slug>/organize/badges/", views_organize.badges, name="badges"),
    path("<slug:slug>/organize/tables/", views_organize.table_cards, name="table_cards"),
    path("<slug:slug>/organize/agendas/", views_organize.agendas_print, name="agendas_print"),
    path("<slug:slug>/sessions/", views_organize.session_add, name="session_add"),
    path(
        "<slug:slug>/sessions/<int:pk>/remove/",
        views_organize.session_remove,
        name="session_remove",
    ),
    path("<slug:slug>/status/", views_organize.event_status, name="status"),
    path("<slug:slug>/runs/", views_organize.run_start, name="run_start"),
    path("<slug:slug>/runs/<int:pk>/", views_organize.run_status, name="run"),
    path("<slug:slug>/meetings/", views_organize.meeting_add, name="meeting_add"),
    path("<slug:slug>/meetings/<int:pk>/move/", views_organize.meeting_move, name="meeting_move"),
    path("<slug:slug>/meetings/<int:pk>/lock/", views_organize.meeting_lock, name="meeting_lock"),
    path(
        "<slug:slug>/meetings/<int:pk>/remove/",
        views_organize.meeting_remove,
        name="meeting_remove",
    ),
    path("<slug:slug>/publish/", views_organize.publish, name="publish"),
    path(
        "<slug:slug>/participants/<int:pk>/check-in/",
        views_organize.participant_check_in,
        name="check_in",
    ),
    path(
        "<slug:slug>/participants/<int:pk>/no-show/",
        views_organize.participant_no_show,
        name="no_show",
    ),
]

from django.urls import path

from puente.landing import views, views_cases, views_manage, views_screening

app_name = "landing"

urlpatterns = [
    path("", views.program_list, name="programs"),
    path("programs/new/", views_manage.program_create, name="program_create"),
    path("programs/<slug:slug>/", views.program_detail, name="program"),
    path("programs/<slug:slug>/calls/new/", views_manage.call_create, name="call_create"),
    path("calls/<int:pk>/apply/", views.call_apply, name="apply"),
    path("calls/<int:pk>/manage/", views_manage.call_manage, name="call_manage"),
    path("calls/<int:pk>/export.csv", views_manage.call_export, name="call_export"),
    path("calls/<int:pk>/conflicts/", views.call_conflicts, name="conflicts"),
    path("applications/", views.my_applications, name="my_applications"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/decide/", views_manage.application_decide, name="decide"),
    path("reviews/", views.review_inbox, name="reviews"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("applications/<int:pk>/assign/", views_manage.application_assign, name="assign"),
    path("cases/<int:pk>/stage/", views_manage.case_stage, name="case_stage"),
    path("pipeline/", views_manage.pipeline, name="pipeline"),
    path("cases/<int:pk>/", views.case_file_detail, name="case"),
    path("cases/items/<int:pk>/", views.checklist_item_update, name="item"),
    path("cases/items/<int:pk>/evidence/", views_cases.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", views_cases.evidence_download, name="evidence"),
    path("evidence/<int:pk>/remove/", views_cases.evidence_remove, name="evidence_remove"),
    path("cases/<int:pk>/milestones/", views_cases.milestone_add, name="milestone_add"),
    path("milestones/<int:pk>/reached/", views_cases.milestone_reach, name="milestone_reach"),
    path("screening/<int:pk>/", views_screening.screening_vote, name="screening_vote"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey"),
]

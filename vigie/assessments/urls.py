from django.urls import path

from vigie.assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.assessment_list, name="assessment_list"),
    path("new/", views.assessment_create, name="assessment_create"),
    path("propose/", views.assessment_propose, name="assessment_propose"),
    path("<uuid:assessment_id>/", views.assessment_detail, name="assessment_detail"),
    path("<uuid:assessment_id>/edit/", views.assessment_edit, name="assessment_edit"),
    path("<uuid:assessment_id>/document/", views.assessment_document, name="assessment_document"),
    path("<uuid:assessment_id>/<slug:step>/", views.assessment_step, name="assessment_step"),
    path("inbox/", views.inbox, name="inbox"),
    path("intake/", views.intake_list, name="intake_list"),
    path("intake/new/", views.intake_create, name="intake_create"),
    path("intake/<uuid:intake_id>/", views.intake_detail, name="intake_detail"),
    path("intake/<uuid:intake_id>/assign/", views.intake_assign, name="intake_assign"),
    path("intake/<uuid:intake_id>/status/", views.intake_status, name="intake_status"),
    path("board/", views.board, name="board"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("general-level/", views.general_level, name="general_level"),
    path("as-known-on/", views.as_known_on, name="as_known_on"),
    path("analyses/", views.analysis_list, name="analysis_list"),
    path("analyses/new/", views.analysis_create, name="analysis_create"),
    path("analyses/<uuid:analysis_id>/", views.analysis_detail, name="analysis_detail"),
    path("analyses/<uuid:analysis_id>/edit/", views.analysis_edit, name="analysis_edit"),
    path(
        "analyses/<uuid:analysis_id>/document/",
        views.analysis_document,
        name="analysis_document",
    ),
    path("analyses/<uuid:analysis_id>/<slug:step>/", views.analysis_step, name="analysis_step"),
    path("infrastructures/", views.infrastructure_list, name="infrastructure_list"),
    path("infrastructures/new/", views.infrastructure_edit, name="infrastructure_create"),
    path(
        "infrastructures/<uuid:infrastructure_id>/",
        views.infrastructure_detail,
        name="infrastructure_detail",
    ),
    path(
        "infrastructures/<uuid:infrastructure_id>/edit/",
        views.infrastructure_edit,
        name="infrastructure_edit",
    ),
]

from django.urls import path

from vigie.measures import views

app_name = "measures"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_create, name="case_create"),
    path("propose/", views.case_propose, name="case_propose"),
    path("inbox/", views.inbox, name="inbox"),
    path("statistics/", views.statistics, name="statistics"),
    path("national-list/", views.national_list_page, name="national_list"),
    path(
        "national-list/<uuid:publication_id>/<str:fmt>/",
        views.national_list_export,
        name="national_list_export",
    ),
    path("<uuid:case_id>/", views.case_detail, name="case_detail"),
    path("<uuid:case_id>/<slug:step>/", views.case_step, name="case_step"),
    path("advices/<uuid:advice_id>/document/", views.advice_document, name="advice_document"),
    path("advices/<uuid:advice_id>/<slug:step>/", views.advice_step, name="advice_step"),
]

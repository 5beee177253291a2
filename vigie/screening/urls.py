from django.urls import path

from vigie.screening import views

app_name = "screening"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("lists/", views.job_list, name="job_list"),
    path("lists/<uuid:job_id>/", views.job_detail, name="job_detail"),
    path("lists/<uuid:job_id>/progress/", views.job_progress, name="job_progress"),
    path("lists/<uuid:job_id>/download.<str:fmt>", views.job_download, name="job_download"),
    path("hits/<uuid:hit_id>/decide/", views.hit_decide, name="hit_decide"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("duplicates/", views.proposal_duplicates_check, name="duplicates_check"),
    path("duplicates/<uuid:entity_id>/", views.entity_duplicates, name="entity_duplicates"),
]

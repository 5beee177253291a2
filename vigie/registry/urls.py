from django.urls import path

from vigie.registry import views

app_name = "registry"
urlpatterns = [
    path("persons/", views.person_list, name="person_list"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("entities/<uuid:entity_id>/", views.entity_detail, name="entity_detail"),
    path("entities/<uuid:entity_id>/validate/", views.entity_validate, name="entity_validate"),
    path("entities/<uuid:entity_id>/reject/", views.entity_reject, name="entity_reject"),
    path("entities/<uuid:entity_id>/review/", views.entity_review, name="entity_review"),
    path("entities/<uuid:entity_id>/relate/", views.entity_relate, name="entity_relate"),
    path("entities/<uuid:entity_id>/remove/", views.entity_remove, name="entity_remove"),
    path(
        "entities/<uuid:entity_id>/contributions/",
        views.contribution_create,
        name="contribution_create",
    ),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/new/", views.proposal_create, name="proposal_create"),
    path("contributions/", views.contribution_list, name="contribution_list"),
    path(
        "contributions/<uuid:contribution_id>/decide/",
        views.contribution_decide,
        name="contribution_decide",
    ),
    path("reviews/due/", views.review_due, name="review_due"),
    path("hit-check/", views.hit_check, name="hit_check"),
]

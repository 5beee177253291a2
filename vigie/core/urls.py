from django.urls import path

from vigie.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_code_view, name="login_code"),
    path("logout/", views.logout_view, name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/<uuid:account_id>/edit/", views.account_edit, name="account_edit"),
    path(
        "accounts/<uuid:account_id>/totp-reset/",
        views.account_totp_reset,
        name="account_totp_reset",
    ),
    path(
        "accounts/<uuid:account_id>/enrolment/",
        views.account_enrolment,
        name="account_enrolment",
    ),
]

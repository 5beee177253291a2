import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_requires_sign_in(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("core:login"))


def test_health_answers(client):
    response = client.get(reverse("core:healthz"))
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_api_refuses_without_token_in_error_format(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"

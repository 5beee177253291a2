"""The /audit/ page: oversight only, filter form, HTMX partial, pagination, translated labels."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import sign_in
from vigie.audit.models import AuditEvent
from vigie.audit.services import record_event
from vigie.core.choices import Sector

pytestmark = pytest.mark.django_db
URL = "/audit/"


@pytest.fixture
def police_events(user_in: Any) -> list[AuditEvent]:
    police = user_in(Sector.POLICE)
    return [record_event(actor=police, action=f"person.read.{n}") for n in range(3)]


def test_url_is_mounted() -> None:
    assert reverse("audit:event_list") == URL


def test_requires_sign_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("core:login"))


def test_non_oversight_user_gets_403_and_the_attempt_is_journaled(
    client: Client, user_in: Any
) -> None:
    analyst = user_in(Sector.COORDINATION)
    sign_in(client, analyst)
    assert client.get(URL).status_code == 403
    # Even with an invalid form, the refusal comes first.
    assert client.get(URL, {"since": "not a date"}).status_code == 403
    outcomes = list(AuditEvent.objects.values_list("action", "outcome", "actor_username"))
    assert outcomes == [("journal.search", "denied", analyst.username)] * 2


def test_full_page_for_comite_p(
    client: Client, comite_p: Any, police_events: list[AuditEvent], user_in: Any
) -> None:
    intel = record_event(actor=user_in(Sector.INTELLIGENCE), action="intel.only")
    sign_in(client, comite_p)
    with translation.override("en"):
        response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and 'hx-get="/audit/"' in html
    assert 'id="journal-results"' in html
    assert "person.read.2" in html and "person.read.0" in html
    assert intel.action not in html
    assert [e.action for e in response.context["events"]] == [
        "person.read.2",
        "person.read.1",
        "person.read.0",
    ]
    assert AuditEvent.objects.order_by("-seq").first().action == "journal.search"


def test_htmx_request_gets_the_rows_only(
    client: Client, comite_p: Any, police_events: list[AuditEvent]
) -> None:
    sign_in(client, comite_p)
    response = client.get(URL, {"action": "person.read.1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<table" in html
    assert "person.read.1" in html and "person.read.2" not in html
    search = AuditEvent.objects.order_by("-seq").first()
    assert search.detail["filters"] == {"action": "person.read.1"}
    assert search.detail["count"] == 1


def test_invalid_filters_show_errors_and_do_not_search(
    client: Client, comite_p: Any, police_events: list[AuditEvent]
) -> None:
    sign_in(client, comite_p)
    response = client.get(URL, {"since": "2026-02-02", "until": "2026-02-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["until"]
    assert response.context["events"] is None
    assert not AuditEvent.objects.filter(action="journal.search").exists()


def test_pagination(
    client: Client, comite_p: Any, user_in: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("vigie.audit.views.PAGE_SIZE", 2)
    police = user_in(Sector.POLICE)
    for n in range(5):
        record_event(actor=police, action=f"a.{n}")
    sign_in(client, comite_p)
    first = client.get(URL, {"organisation": police.organisation.code})
    assert [e.action for e in first.context["events"]] == ["a.4", "a.3"]
    assert first.context["last_page"] == 3
    assert first.context["previous_query"] == ""
    next_query = first.context["next_query"]
    assert f"organisation={police.organisation.code}" in next_query and "page=2" in next_query
    last = client.get(f"{URL}?{next_query.replace('page=2', 'page=3')}")
    assert [e.action for e in last.context["events"]] == ["a.0"]
    assert last.context["next_query"] == ""
    assert AuditEvent.objects.filter(action="journal.search").last().detail["offset"] == 4


def test_labels_go_through_gettext(
    client: Client, comite_p: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fake catalogue proves every visible label is looked up, not hard-coded.
    monkeypatch.setattr(translation._trans, "gettext", lambda message: f"«{message}»")
    sign_in(client, comite_p)
    html = client.get(URL).content.decode()
    for label in ["Journal", "Actor (username)", "Outcome", "Search", "Target type", "From", "To"]:
        assert f"«{label}»" in html

"""Intake: requests and reports, deadlines, attachments by content, the board."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory
from vigie.assessments import selectors, services
from vigie.assessments.choices import IntakeStatus
from vigie.assessments.models import Attachment, Event, IntakeItem
from vigie.core.choices import Clearance, Role

from .conftest import BRUSSELS

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _event(days=20, length=1):
    start = timezone.localdate() + timedelta(days=days)
    return services.EventInput(
        name="Summer festival of Fictiville",
        kind="festival",
        start_date=start,
        end_date=start + timedelta(days=length),
        municipality=BRUSSELS,
    )


def _request(officer, **extra):
    values = {"kind": "request", "urgency": "routine", "summary": "Please assess.", **extra}
    return services.intake_submit(actor=officer, data=services.IntakeInput(**values))


def test_a_partner_requests_an_event_assessment_with_attachments(officer, analyst):
    item = _request(
        officer,
        subject_kind="event",
        event=_event(),
        attachments=[
            services.AttachmentInput("report.pdf", PDF),
            services.AttachmentInput("note.txt", "Tél. 02 000 00 00\n".encode()),
            services.AttachmentInput("minutes.docx", _docx()),
            services.AttachmentInput("map.png", PNG),
            services.AttachmentInput("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 10),
        ],
    )
    assert item.reference.startswith("RQ-") and item.status == IntakeStatus.RECEIVED
    delay = item.deadline - timezone.now()
    assert timedelta(days=9, hours=23) < delay <= timedelta(days=10)
    assert sorted(a.content_type for a in item.attachments.all())[0] == "application/pdf"
    stored = item.attachments.get(original_name="report.pdf")
    assert stored.file.read() == PDF


@pytest.mark.parametrize(("urgency", "hours"), [("flash", 24), ("urgent", 72)])
def test_deadline_follows_the_urgency(officer, urgency, hours):
    item = _request(officer, urgency=urgency, kind="report")
    delay = item.deadline - timezone.now()
    assert timedelta(hours=hours - 1) < delay <= timedelta(hours=hours)


def test_deadline_is_the_event_when_it_comes_first(officer):
    item = _request(officer, event=_event(days=2))
    assert timezone.localtime(item.deadline).date() == item.event.start_date


def test_an_event_ending_before_it_starts_is_refused(officer):
    bad = _event()
    bad.end_date = bad.start_date - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        _request(officer, event=bad)
    assert "end_date" in error.value.message_dict
    assert not Event.objects.exists() and not IntakeItem.objects.exists()


def test_an_unknown_municipality_is_refused(officer):
    bad = _event()
    bad.municipality = "99999"
    with pytest.raises(ValidationError, match="Unknown municipality"):
        _request(officer, event=bad)
    assert not IntakeItem.objects.exists()


def test_a_deadline_in_the_past_is_refused(officer):
    with pytest.raises(ValidationError, match="past"):
        _request(officer, requested_deadline=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError, match="past"):
        _request(officer, event=_event(days=-1, length=3))
    assert not IntakeItem.objects.exists()


def test_an_attachment_too_large_is_refused(officer, settings):
    settings.ASSESSMENT_ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="too large"):
        _request(officer, attachments=[services.AttachmentInput("big.pdf", PDF + b"0" * 2000)])
    assert not IntakeItem.objects.exists() and not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("script.exe", b"MZ\x90\x00"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf"),
        ("image.png", PDF),
        ("archive.docx", b"PK\x03\x04broken"),
        ("binary.txt", b"\x00\x01\x02"),
    ],
)
def test_a_forbidden_type_is_refused_by_content(officer, name, content):
    with pytest.raises(ValidationError):
        _request(officer, attachments=[services.AttachmentInput(name, content)])
    assert not IntakeItem.objects.exists()


def test_a_partner_cannot_send_above_its_clearance(officer):
    with pytest.raises(ValidationError, match="clearance"):
        _request(officer, classification=Clearance.SECRET)


def test_the_board_orders_overdue_due_today_later(officer, analyst):
    items = [_request(officer, urgency="routine") for _ in range(3)]
    now = timezone.now()
    IntakeItem.objects.filter(pk=items[0].pk).update(deadline=now - timedelta(hours=2))
    IntakeItem.objects.filter(pk=items[1].pk).update(deadline=now + timedelta(minutes=1))
    board = selectors.intake_board(actor=analyst, now=now)
    assert [i.id for i in board["overdue"]] == [items[0].id]
    assert [i.id for i in board["due_today"]] == [items[1].id]
    assert [i.id for i in board["later"]] == [items[2].id]


def test_assignment_and_status_moves_both_ways(officer, analyst, validator):
    item = _request(officer)
    with pytest.raises(ValidationError):
        services.intake_set_status(
            actor=analyst, item=item, status=IntakeStatus.ANSWERED, version=item.version
        )
    with pytest.raises(ValidationError, match="analyst"):
        services.intake_assign(actor=analyst, item=item, owner=officer, version=item.version)
    item = services.intake_assign(actor=analyst, item=item, owner=validator, version=item.version)
    assert item.status == IntakeStatus.ASSIGNED and item.owner == validator
    item = services.intake_set_status(
        actor=analyst, item=item, status=IntakeStatus.IN_PROGRESS, version=item.version
    )
    assert item.status == IntakeStatus.IN_PROGRESS


def test_a_partner_sees_its_own_items_only(officer, analyst):
    item = _request(officer)
    stranger = UserFactory(
        organisation=OrganisationFactory(), role=Role.PARTNER_OFFICER, clearance=3
    )
    assert selectors.intake_get(actor=officer, intake_id=item.id) == item
    assert selectors.intake_get(actor=analyst, intake_id=item.id) == item
    with pytest.raises(Http404):
        selectors.intake_get(actor=stranger, intake_id=item.id)
    assert selectors.intake_list(actor=stranger)[1] == 0


def test_an_assessment_answers_the_request_and_delivery_closes_the_loop(
    officer, analyst, validator, police
):
    from .conftest import approve

    item = _request(officer, subject_kind="event", event=_event())
    data = services.AssessmentInput(
        kind="event",
        event_id=item.event_id,
        intake_id=item.id,
        rationale="Nothing specific.",
        ratings={"known_threats": 0, "target_attractiveness": 1, "context_triggers": 0,
                 "general_level": 1},
        level=1,
    )  # fmt: skip
    a = services.assessment_create(actor=analyst, data=data)
    item.refresh_from_db()
    assert item.status == IntakeStatus.IN_PROGRESS and item.owner == analyst
    assert a.requester_organisation == police and not a.own_initiative
    a = approve(analyst, validator, a)
    services.assessment_deliver(actor=analyst, assessment=a, version=a.version)
    item.refresh_from_db()
    assert item.status == IntakeStatus.ANSWERED
    assert selectors.assessment_get(actor=officer, assessment_id=a.id)

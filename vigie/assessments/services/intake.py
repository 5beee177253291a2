"""Intake: events, requests and information reports from partners, with attachments."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.access.policy import AssessmentAction, assessment_can
from vigie.audit.services import record_event
from vigie.core.choices import Classification
from vigie.core.models import Municipality, User
from vigie.core.references import next_reference
from vigie.registry import selectors as registry_selectors

from ..choices import (
    INTAKE_TRANSITIONS,
    URGENCY_DELAYS,
    AssessmentKind,
    EventKind,
    IntakeKind,
    IntakeStatus,
    Urgency,
)
from ..models import Attachment, Event, IntakeItem
from .common import DOMAIN, check_version, clean_text, require

# Accepted attachment types: extension -> MIME type, recognised by content (magic bytes).
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "txt": "text/plain",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}


@dataclass
class EventInput:
    name: str
    kind: str
    start_date: date
    end_date: date
    municipality: str  # NIS code
    venue: str = ""
    expected_attendance: int | None = None
    organiser: str = ""
    description: str = ""


@dataclass
class AttachmentInput:
    name: str
    content: bytes


@dataclass
class IntakeInput:
    kind: str
    urgency: str
    summary: str
    subject_kind: str = ""
    event: EventInput | None = None
    event_id: Any = None
    threatened_person: str = ""
    threat_source_id: Any = None
    requested_deadline: datetime | None = None
    classification: int = Classification.UNCLASSIFIED
    restricted_diffusion: bool = False
    attachments: list[AttachmentInput] = field(default_factory=list)


def sniff_type(name: str, content: bytes) -> str:
    """The attachment's type from its content; its extension must agree. Else ValidationError."""
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in ATTACHMENT_TYPES:
        raise ValidationError(
            {
                "attachments": _(
                    "%(name)s: only PDF, text, Word (docx), PNG and JPEG files are accepted."
                )
                % {"name": name[:100]}
            }
        )
    detected = ""
    if content.startswith(b"%PDF-"):
        detected = "pdf"
    elif content.startswith(b"\x89PNG\r\n\x1a\n"):
        detected = "png"
    elif content.startswith(b"\xff\xd8\xff"):
        detected = "jpeg"
    elif content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                if "word/document.xml" in archive.namelist():
                    detected = "docx"
        except zipfile.BadZipFile:
            detected = ""
    elif _is_text(content):
        detected = "txt"
    wanted = "jpeg" if extension == "jpg" else extension
    if detected != wanted:
        raise ValidationError(
            {
                "attachments": _(
                    "%(name)s: the content is not a %(extension)s file (checked by its content, "
                    "not its name)."
                )
                % {"name": name[:100], "extension": extension.upper()}
            }
        )
    return ATTACHMENT_TYPES[extension]


def _is_text(content: bytes) -> bool:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(c.isprintable() or c in "\t\n\r\f" for c in text)


def check_attachment(item: AttachmentInput) -> str:
    limit = settings.ASSESSMENT_ATTACHMENT_MAX_BYTES
    if len(item.content) > limit:
        raise ValidationError(
            {
                "attachments": _("%(name)s is too large: at most %(limit)d MB.")
                % {"name": item.name[:100], "limit": max(1, limit // (1024 * 1024))}
            }
        )
    if not item.content:
        raise ValidationError({"attachments": _("%(name)s is empty.") % {"name": item.name[:100]}})
    return sniff_type(item.name, item.content)


def _municipality(nis_code: str) -> Municipality:
    found = Municipality.objects.filter(pk=nis_code).first()
    if found is None:
        raise ValidationError(
            {"municipality": _("Unknown municipality (NIS code %s).") % str(nis_code)[:10]}
        )
    return found


def event_build(*, actor: User, data: EventInput) -> Event:
    """A new event (validated, saved): used by intake and by the body directly."""
    if data.kind not in EventKind.values:
        raise ValidationError({"kind": _("Unknown kind of event.")})
    if data.end_date < data.start_date:
        raise ValidationError({"end_date": _("The event cannot end before it starts.")})
    if data.expected_attendance is not None and data.expected_attendance < 0:
        raise ValidationError({"expected_attendance": _("The attendance cannot be negative.")})
    event = Event(
        reference=next_reference("EVT", width=4),
        name=clean_text(data.name, "name", 300),
        kind=data.kind,
        start_date=data.start_date,
        end_date=data.end_date,
        municipality=_municipality(data.municipality),
        venue=clean_text(data.venue, "venue", 300),
        expected_attendance=data.expected_attendance,
        organiser=clean_text(data.organiser, "organiser", 300),
        description=clean_text(data.description, "description"),
        created_by=actor,
    )
    if not event.name:
        raise ValidationError({"name": _("Name the event.")})
    event.full_clean()
    event.save()
    return event


def event_create(*, actor: User, data: EventInput) -> Event:
    require(actor, AssessmentAction.INTAKE_SUBMIT)
    with transaction.atomic():
        event = event_build(actor=actor, data=data)
        record_event(
            actor=actor,
            action="event.create",
            target_type="event",
            target_id=event.id,
            domain=DOMAIN,
            detail={"reference": event.reference},
        )
        return event


def deadline_for(urgency: str, event: Event | None, requested: datetime | None = None) -> datetime:
    """The earliest of: the urgency's delay, the start of the event, the requested date."""
    now = timezone.now()
    candidates = [now + URGENCY_DELAYS[Urgency(urgency)]]
    if event is not None:
        start = datetime.combine(event.start_date, time.min)
        candidates.append(timezone.make_aware(start, timezone.get_default_timezone()))
    if requested is not None:
        if timezone.is_naive(requested):
            requested = timezone.make_aware(requested, timezone.get_default_timezone())
        if requested <= now:
            raise ValidationError({"requested_deadline": _("The deadline is in the past.")})
        candidates.append(requested)
    deadline = min(candidates)
    if deadline <= now:
        raise ValidationError(
            {
                "deadline": _(
                    "The deadline would be in the past: the event starts before an answer can "
                    "be given. Contact the body's permanence directly."
                )
            }
        )
    return deadline


def intake_submit(*, actor: User, data: IntakeInput) -> IntakeItem:
    """A partner (or the body) sends a request or a report; attachments checked, stored."""
    require(actor, AssessmentAction.INTAKE_SUBMIT)
    if data.kind not in IntakeKind.values:
        raise ValidationError({"kind": _("Unknown kind of intake.")})
    if data.urgency not in Urgency.values:
        raise ValidationError({"urgency": _("The urgency is flash, urgent or routine.")})
    if data.subject_kind and data.subject_kind not in AssessmentKind.values:
        raise ValidationError({"subject_kind": _("Unknown kind of assessment.")})
    if data.classification not in Classification.values:
        raise ValidationError({"classification": _("Unknown classification.")})
    if int(data.classification) > int(actor.clearance):
        raise ValidationError(
            {"classification": _("You cannot send information above your own clearance.")}
        )
    summary = clean_text(data.summary, "summary")
    if not summary:
        raise ValidationError({"summary": _("Write the request or the information.")})
    types = [check_attachment(a) for a in data.attachments]
    source = None
    if data.threat_source_id:
        # Read through the registry's selectors: out of the partner's scope is "not found".
        source = registry_selectors.entity_for_change(actor=actor, entity_id=data.threat_source_id)
    stored: list[str] = []
    try:
        with transaction.atomic():
            event = None
            if data.event is not None:
                event = event_build(actor=actor, data=data.event)
            elif data.event_id:
                event = Event.objects.filter(pk=data.event_id).first()
                if event is None:
                    raise ValidationError({"event_id": _("Unknown event.")})
            item = IntakeItem(
                reference=next_reference("RQ", width=4),
                kind=data.kind,
                subject_kind=data.subject_kind,
                requester_organisation=actor.organisation,
                submitted_by=actor,
                event=event,
                threatened_person=clean_text(data.threatened_person, "threatened_person", 300),
                threat_source=source,
                threat_source_reference=source.reference if source else "",
                summary=summary,
                urgency=data.urgency,
                deadline=deadline_for(data.urgency, event, data.requested_deadline),
                classification=data.classification,
                restricted_diffusion=data.restricted_diffusion,
            )
            item.full_clean()
            item.save()
            for attachment, content_type in zip(data.attachments, types, strict=True):
                name = PurePath(attachment.name).name[:200]
                path = default_storage.save(
                    f"intake/{item.reference}/{name}", ContentFile(attachment.content)
                )
                stored.append(path)
                Attachment.objects.create(
                    intake=item,
                    file=path,
                    original_name=name,
                    content_type=content_type,
                    size=len(attachment.content),
                    sha256=hashlib.sha256(attachment.content).hexdigest(),
                    uploaded_by=actor,
                )
            record_event(
                actor=actor,
                action="intake.submit",
                target_type="intake",
                target_id=item.id,
                domain=DOMAIN,
                detail={
                    "reference": item.reference,
                    "urgency": item.urgency,
                    "attachments": len(stored),
                },
            )
            return item
    except Exception:
        for path in stored:
            default_storage.delete(path)
        raise


def intake_assign(
    *, actor: User, item: IntakeItem, owner: User, version: int | None = None
) -> IntakeItem:
    """The body gives an item an owner (an analyst of the body)."""
    require(actor, AssessmentAction.INTAKE_MANAGE, item)
    if not assessment_can(owner, AssessmentAction.WRITE):
        raise ValidationError({"owner": _("The owner must be an analyst of the body.")})
    with transaction.atomic():
        item = IntakeItem.objects.select_for_update().get(pk=item.pk)
        check_version(item, version)
        if item.status in {IntakeStatus.ANSWERED, IntakeStatus.CLOSED}:
            raise ValidationError(_("This item is already answered or closed."))
        item.owner = owner
        if item.status == IntakeStatus.RECEIVED:
            item.status = IntakeStatus.ASSIGNED
        _bump(item)
        record_event(
            actor=actor,
            action="intake.assign",
            target_type="intake",
            target_id=item.id,
            domain=DOMAIN,
            detail={"owner": str(owner.id)},
        )
        return item


def intake_set_status(
    *, actor: User, item: IntakeItem, status: str, version: int | None = None
) -> IntakeItem:
    """Move an item along received → assigned → in progress → answered → closed."""
    require(actor, AssessmentAction.INTAKE_MANAGE, item)
    with transaction.atomic():
        item = IntakeItem.objects.select_for_update().get(pk=item.pk)
        check_version(item, version)
        if status not in IntakeStatus.values:
            raise ValidationError({"status": _("Unknown status.")})
        if status not in INTAKE_TRANSITIONS[IntakeStatus(item.status)]:
            raise ValidationError(
                {
                    "status": _("An item cannot go from %(current)s to %(new)s.")
                    % {"current": item.status, "new": status}
                }
            )
        if status == IntakeStatus.ASSIGNED and item.owner_id is None:
            raise ValidationError({"status": _("Assign an owner first.")})
        before = item.status
        item.status = status
        if status == IntakeStatus.ANSWERED:
            item.answered_at = timezone.now()
        _bump(item)
        record_event(
            actor=actor,
            action="intake.status",
            target_type="intake",
            target_id=item.id,
            domain=DOMAIN,
            detail={"from": before, "to": status},
        )
        return item


def _bump(item: IntakeItem) -> None:
    item.version += 1
    item.updated_at = timezone.now()
    item.save()

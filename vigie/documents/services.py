"""Issuing and delivering documents, for any app: store once with its hash, deliver to
organisations, notify them by e-mail, record each acknowledgement.

The calling app checks the access policy and journals its own action (with the document's
SHA-256 in the detail); these functions run inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.core.models import Organisation, User

from .models import DeliveryBase, Document
from .rendering import render_pdf, sha256_of


def document_issue(
    *,
    actor: User | None,
    template: str,
    context: dict[str, Any],
    language: str,
    reference: str,
    revision: int,
    classification: int,
    target_type: str,
    target_id: Any,
) -> Document:
    """Render the PDF once and store its bytes and SHA-256."""
    content = render_pdf(template, context, language)
    document = Document(
        reference=reference,
        revision=revision,
        language=language,
        classification=classification,
        target_type=target_type,
        target_id=target_id,
        filename=f"{reference}-v{revision}-{language}.pdf",
        content=content,
        size=len(content),
        sha256=sha256_of(content),
        created_by=actor,
    )
    document.save(force_insert=True)
    return document


def deliver(
    *,
    actor: User,
    delivery_model: type[DeliveryBase],
    delivered: Any,
    organisations: Iterable[Organisation],
    subject: str,
    message: str,
) -> list[DeliveryBase]:
    """One delivery row per organisation not yet served, and an e-mail to its active users.

    The e-mail says only that something waits in the Vigie inbox: never the content."""
    field = delivery_model.delivered_field
    already = set(
        delivery_model._default_manager.filter(**{field: delivered}).values_list(
            "organisation_id", flat=True
        )
    )
    now = timezone.now()
    rows = []
    for organisation in {o.pk: o for o in organisations}.values():
        if organisation.pk in already:
            continue
        if not organisation.is_active:
            raise ValidationError(
                {
                    "recipients": _("The organisation %(code)s is not active.")
                    % {"code": organisation.code}
                }
            )
        row = delivery_model(
            **{field: delivered}, organisation=organisation, delivered_at=now, delivered_by=actor
        )
        row.save(force_insert=True)
        rows.append(row)
    notify_organisations([r.organisation for r in rows], subject=subject, message=message)
    return rows


def notify_organisations(
    organisations: Iterable[Organisation], *, subject: str, message: str
) -> int:
    ids = [o.pk for o in organisations]
    if not ids:
        return 0
    emails = sorted(
        set(
            User.objects.filter(organisation_id__in=ids, is_active=True, is_system=False)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    if not emails:
        return 0
    # One message per address: recipients do not learn who else received it.
    return send_mass_mail(
        [(subject, message, settings.DEFAULT_FROM_EMAIL, [e]) for e in emails], fail_silently=True
    )


def acknowledge(*, row: DeliveryBase, actor: User) -> DeliveryBase:
    """Record the receipt by `actor` (idempotent: the first acknowledgement stands)."""
    if row.acknowledged_at is None:
        row.acknowledged_at = timezone.now()
        row.acknowledged_by = actor
        row.acknowledged_by_username = actor.get_username()
        row.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledged_by_username"])
    return row

"""The web UI of threat assessments, intake, the general level, strategic analyses and critical
infrastructure. Thin: reads through selectors, writes through services, decisions from
vigie.access.policy. What the reader may not open is a 404 (the selectors journal it)."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigie.access.policy import AssessmentAction, can
from vigie.core.errors import Conflict, PreconditionFailed
from vigie.core.selectors import user_by_username

from . import forms, method, selectors, services
from .choices import NATIONAL, AssessmentKind, IntakeStatus, ReviewStatus, Urgency
from .templatetags.assessment_labels import area as area_name

PAGE_SIZE = 50
# The dashboard and the forms read at most this many rows of a list at once.
WIDE = 500
STEPS = ("submit", "approve", "return", "deliver", "correct", "acknowledge")


def _require(request: HttpRequest, action: str) -> None:
    if not can(request.user, action):
        raise PermissionDenied(_("You are not allowed to do this."))


def _page_number(request: HttpRequest) -> int:
    form = forms.PageForm(request.GET)
    return (form.cleaned_data.get("page") or 1) if form.is_valid() else 1


def _pagination(request: HttpRequest, page_number: int, count: int) -> dict[str, Any]:
    """Previous/next links that keep the filters of the query string."""
    filters = {k: v for k, v in request.GET.items() if k != "page" and v}
    last_page = max(1, -(-count // PAGE_SIZE))
    previous_query = urlencode({**filters, "page": page_number - 1}) if page_number > 1 else ""
    next_query = urlencode({**filters, "page": page_number + 1}) if page_number < last_page else ""
    return {
        "count": count,
        "page_number": page_number,
        "last_page": last_page,
        "previous_query": previous_query,
        "next_query": next_query,
    }


def _stale(exc: PreconditionFailed) -> str:
    return _(
        "Not saved: this record was changed by someone else meanwhile (%(detail)s). "
        "Reload the page to see the changes, then decide again."
    ) % {"detail": str(exc)}


def _uuid_or_404(value: str) -> UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404("not found") from None


# --- Intake ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def intake_create(request: HttpRequest) -> HttpResponse:
    """A partner (or the body) sends a request for an assessment or an information report."""
    _require(request, AssessmentAction.INTAKE_SUBMIT)
    form = forms.IntakeForm(request.POST or None, request.FILES or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.intake_submit(actor=request.user, data=form.to_input())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                _("%(ref)s is sent; answer expected by %(deadline)s.")
                % {
                    "ref": item.reference,
                    "deadline": timezone.localtime(item.deadline).strftime("%Y-%m-%d %H:%M"),
                },
            )
            return redirect("assessments:intake_detail", intake_id=item.id)
    return render(request, "assessments/intake_form.html", {"form": form})


def intake_list(request: HttpRequest) -> HttpResponse:
    """The items of the user's organisation (the body: every item), with status and deadline."""
    _require(request, AssessmentAction.INTAKE_SUBMIT)
    form = forms.IntakeFilterForm(request.GET)
    context: dict[str, Any] = {"form": form, "items": None}
    if form.is_valid():
        page_number = form.cleaned_data.get("page") or 1
        items, count = selectors.intake_list(
            actor=request.user,
            filters=selectors.IntakeFilters(
                status=form.cleaned_data["status"], urgency=form.cleaned_data["urgency"]
            ),
            limit=PAGE_SIZE,
            offset=(page_number - 1) * PAGE_SIZE,
        )
        context |= {"items": items, **_pagination(request, page_number, count)}
    template = "assessments/_intake_rows.html" if request.htmx else "assessments/intake_list.html"
    return render(request, template, context)


def intake_detail(request: HttpRequest, intake_id: UUID) -> HttpResponse:
    item = selectors.intake_get(actor=request.user, intake_id=intake_id)
    manage = can(request.user, AssessmentAction.INTAKE_MANAGE)
    context: dict[str, Any] = {"item": item, "manage": manage}
    if manage:
        version = {"version": item.version}
        context["assign_form"] = forms.AssignForm(
            initial={**version, "owner": request.user.username}
        )
        context["status_form"] = forms.IntakeStatusForm(initial=version, current=item.status)
        context["assessments"] = list(item.assessments.all())
    return render(request, "assessments/intake_detail.html", context)


def _board_context(request: HttpRequest) -> dict[str, Any]:
    board = selectors.intake_board(actor=request.user)
    return {
        "columns": [
            ("overdue", _("Overdue"), board["overdue"]),
            ("due_today", _("Due today"), board["due_today"]),
            ("later", _("Later"), board["later"]),
        ]
    }


def board(request: HttpRequest) -> HttpResponse:
    """The body's board: open items, overdue / due today / later, each by deadline."""
    _require(request, AssessmentAction.INTAKE_MANAGE)
    template = "assessments/_board.html" if request.htmx else "assessments/board.html"
    return render(request, template, _board_context(request))


def _after_intake_change(request: HttpRequest, item_id: Any) -> HttpResponse:
    if request.htmx:
        return render(request, "assessments/_board.html", _board_context(request))
    if request.POST.get("next") == "board":
        return redirect("assessments:board")
    return redirect("assessments:intake_detail", intake_id=item_id)


@require_POST
def intake_assign(request: HttpRequest, intake_id: UUID) -> HttpResponse:
    _require(request, AssessmentAction.INTAKE_MANAGE)
    item = selectors.intake_get(actor=request.user, intake_id=intake_id)
    form = forms.AssignForm(request.POST)
    owner = user_by_username(request.POST.get("owner", "")) if form.is_valid() else None
    if owner is None:
        messages.error(request, _("Unknown owner."))
        return _after_intake_change(request, item.id)
    try:
        services.intake_assign(
            actor=request.user, item=item, owner=owner, version=form.cleaned_data["version"]
        )
    except PreconditionFailed as exc:
        messages.error(request, _stale(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(ref)s is assigned to %(owner)s.")
            % {"ref": item.reference, "owner": owner.username},
        )
    return _after_intake_change(request, item.id)


@require_POST
def intake_status(request: HttpRequest, intake_id: UUID) -> HttpResponse:
    _require(request, AssessmentAction.INTAKE_MANAGE)
    item = selectors.intake_get(actor=request.user, intake_id=intake_id)
    form = forms.IntakeStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return _after_intake_change(request, item.id)
    try:
        services.intake_set_status(
            actor=request.user,
            item=item,
            status=form.cleaned_data["status"],
            version=form.cleaned_data["version"],
        )
    except PreconditionFailed as exc:
        messages.error(request, _stale(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(ref)s is now: %(status)s.")
            % {"ref": item.reference, "status": IntakeStatus(form.cleaned_data["status"]).label},
        )
    return _after_intake_change(request, item.id)


# --- Assessments: lists, editor --------------------------------------------------------------


def assessment_list(request: HttpRequest) -> HttpResponse:
    _require(request, AssessmentAction.LIST)
    form = forms.AssessmentFilterForm(request.GET)
    context: dict[str, Any] = {
        "form": form,
        "assessments": None,
        "can_write": can(request.user, AssessmentAction.WRITE),
    }
    if form.is_valid():
        data = form.cleaned_data
        page_number = data.get("page") or 1
        rows, count = selectors.assessment_list(
            actor=request.user,
            filters=selectors.AssessmentFilters(
                kind=data["kind"],
                status=data["status"],
                reference=data["reference"].strip().upper(),
                current=data["current"],
            ),
            limit=PAGE_SIZE,
            offset=(page_number - 1) * PAGE_SIZE,
        )
        context |= {"assessments": rows, **_pagination(request, page_number, count)}
    template = (
        "assessments/_assessment_rows.html" if request.htmx else "assessments/assessment_list.html"
    )
    return render(request, template, context)


def _kind_of(item: Any) -> str:
    """The kind of assessment a request asks for: its own word, else what its subject is."""
    if item.subject_kind:
        return item.subject_kind
    if item.event_id:
        return AssessmentKind.EVENT
    if item.threat_source_id:
        return AssessmentKind.THREAT_SOURCE
    if item.threatened_person:
        return AssessmentKind.THREATENED_PERSON
    return ""


def _subject_from(item: Any, kind: str) -> dict[str, Any] | None:
    """The subject the request names for this kind, or None when the analyst must give it."""
    if kind == AssessmentKind.EVENT and item.event_id:
        return {"event_id": item.event_id}
    if kind == AssessmentKind.THREATENED_PERSON and item.threatened_person:
        return {"threatened_person": item.threatened_person}
    if kind == AssessmentKind.THREAT_SOURCE and item.threat_source_id:
        return {"entity_id": item.threat_source_id}
    if kind == AssessmentKind.GENERAL:
        return {}
    return None


@require_http_methods(["GET", "POST"])
def assessment_create(request: HttpRequest) -> HttpResponse:
    """A draft answering a request (`?intake=`) or on the body's own initiative (`?kind=`)."""
    _require(request, AssessmentAction.WRITE)
    intake_id = request.GET.get("intake") or request.POST.get("intake")
    item = None
    if intake_id:
        item = selectors.intake_get(actor=request.user, intake_id=_uuid_or_404(intake_id))
    kind = request.GET.get("kind") or request.POST.get("kind") or (_kind_of(item) if item else "")
    if kind not in AssessmentKind.values:
        return render(
            request, "assessments/assessment_new.html", {"item": item, "kinds": AssessmentKind}
        )
    subject = _subject_from(item, kind) if item else None
    language = request.user.language if request.user.language in ("fr", "nl") else "fr"
    form = forms.AssessmentForm(
        request.POST or None,
        actor=request.user,
        kind=kind,
        creating=subject is None and kind != AssessmentKind.GENERAL,
        initial={"language": language},
    )
    if request.method == "POST" and form.is_valid():
        subject = dict(subject or {})
        if item is not None:
            subject["intake_id"] = item.id
        try:
            with transaction.atomic():  # a new event and its assessment, or neither
                if kind == AssessmentKind.EVENT and "event_id" not in subject:
                    event = services.event_create(actor=request.user, data=form.event_input())
                    subject["event_id"] = event.id
                assessment = services.assessment_create(
                    actor=request.user, data=form.to_input(**subject)
                )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("%(ref)s is drafted.") % {"ref": assessment.reference})
            return redirect("assessments:assessment_detail", assessment_id=assessment.id)
    context = {"form": form, "kind": kind, "item": item, "creating": True}
    return render(request, "assessments/assessment_form.html", context)


@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, assessment_id: UUID) -> HttpResponse:
    _require(request, AssessmentAction.WRITE)
    assessment = selectors.assessment_for_change(actor=request.user, assessment_id=assessment_id)
    if assessment.status != ReviewStatus.DRAFT:
        messages.error(
            request,
            _(
                "Only a draft is edited. An approved version cannot be changed: make a "
                "correction, which becomes a new version."
            ),
        )
        return redirect("assessments:assessment_detail", assessment_id=assessment.id)
    form = forms.AssessmentEditForm(
        request.POST or None,
        actor=request.user,
        kind=assessment.kind,
        initial=forms.AssessmentForm.initial_from(assessment),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_update(
                actor=request.user,
                assessment=assessment,
                changes=form.changes(),
                version=form.cleaned_data["version"],
            )
        except PreconditionFailed as exc:
            form.add_error(None, _stale(exc))
        except Conflict as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("assessments:assessment_detail", assessment_id=assessment.id)
    context = {"form": form, "kind": assessment.kind, "assessment": assessment}
    return render(request, "assessments/assessment_form.html", context)


@require_GET
def assessment_propose(request: HttpRequest) -> HttpResponse:
    """The method's proposal for the ratings on screen (HTMX, as the analyst rates)."""
    _require(request, AssessmentAction.WRITE)
    kind = request.GET.get("kind", "")
    if kind not in AssessmentKind.values:
        raise Http404("not found")
    factors = method.factors_for(kind)
    ratings = {
        name: int(value)
        for name in factors
        if (value := request.GET.get(f"rating_{name}", "")) in {"0", "1", "2", "3"}
    }
    complete = len(ratings) == len(factors)
    proposed = method.propose_level(kind, ratings) if complete else None
    level = request.GET.get("level", "")
    context = {
        "proposed": proposed,
        "complete": complete,
        "missing": [method.FACTOR_LABELS.get(f, f) for f in factors if f not in ratings],
        "score": round(method.score(kind, ratings) * 100) if complete else None,
        "differs": bool(proposed and level.isdigit() and int(level) != proposed),
    }
    return render(request, "assessments/_proposal.html", context)


# --- Assessments: reading, review, delivery ----------------------------------------------------


def _delivery_context(request: HttpRequest, obj: Any) -> dict[str, Any]:
    """What every reviewed text's page shows: its versions, its review buttons, its delivery."""
    user = request.user
    recipients = list(obj.recipients.all())
    mine = next((r for r in recipients if r.organisation_id == user.organisation_id), None)
    return {
        "versions": selectors.versions_of(actor=user, obj=obj),
        "acknowledgements": selectors.acknowledgements(actor=user, obj=obj),
        "my_delivery": mine,
        "can_write": can(user, AssessmentAction.WRITE),
        "can_approve": can(user, AssessmentAction.APPROVE),
        "can_deliver": can(user, AssessmentAction.DELIVER),
        "return_form": forms.ReturnForm(initial={"version": obj.version}),
    }


def assessment_detail(request: HttpRequest, assessment_id: UUID) -> HttpResponse:
    assessment = selectors.assessment_get(actor=request.user, assessment_id=assessment_id)
    context = {
        "a": assessment,
        "factors": [
            (name, method.FACTOR_LABELS.get(name, name), assessment.ratings.get(name))
            for name in method.factors_for(assessment.kind)
        ],
        "areas": [
            (code, area_name(code), level) for code, level in sorted(assessment.area_levels.items())
        ],  # fmt: skip
        "changes": selectors.assessment_diff(actor=request.user, assessment=assessment),
        **_delivery_context(request, assessment),
    }
    return render(request, "assessments/assessment_detail.html", context)


def _done(step: str) -> str:
    return {
        "submit": _("%(ref)s is submitted for approval."),
        "approve": _("%(ref)s is approved; its document is issued."),
        "return": _("%(ref)s is sent back to its author."),
        "deliver": _("%(ref)s is delivered to its recipients."),
        "correct": _("A correction of %(ref)s is drafted as a new version."),
        "acknowledge": _("Receipt of %(ref)s is acknowledged."),
    }[step]


def _step(request: HttpRequest, kind: str, obj: Any, step: str) -> HttpResponse:
    """Run one review or delivery step through its service; refusals become messages, except
    a refusal by the policy, which stays a 403 (the four-eyes rule excepted: it says why)."""
    if step not in STEPS:
        raise Http404("not found")
    back = redirect(f"assessments:{kind}_detail", obj.id)
    kwargs: dict[str, Any] = {}
    if step in {"submit", "approve", "return", "deliver"}:
        form = (
            forms.ReturnForm(request.POST) if step == "return" else forms.VersionForm(request.POST)
        )
        if not form.is_valid():
            messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
            return back
        kwargs["version"] = form.cleaned_data["version"]
        if step == "return":
            kwargs["reason"] = form.cleaned_data["reason"]
    service = getattr(services, f"{kind}_{step}")
    try:
        result = service(actor=request.user, **{kind: obj}, **kwargs)
    except PermissionDenied as exc:
        if step == "approve" and can(request.user, AssessmentAction.APPROVE):
            messages.error(request, str(exc))
            return back
        raise
    except PreconditionFailed as exc:
        messages.error(request, _stale(exc))
    except Conflict as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _done(step) % {"ref": obj.reference})
        if step == "correct":
            return redirect(f"assessments:{kind}_edit", result.id)
        if step == "acknowledge" and request.POST.get("next") == "inbox":
            return redirect("assessments:inbox")
    return back


@require_POST
def assessment_step(request: HttpRequest, assessment_id: UUID, step: str) -> HttpResponse:
    assessment = selectors.assessment_for_change(actor=request.user, assessment_id=assessment_id)
    return _step(request, "assessment", assessment, step)


def _pdf(document: Any) -> HttpResponse:
    response = HttpResponse(bytes(document.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["X-Content-SHA256"] = document.sha256
    return response


def assessment_document(request: HttpRequest, assessment_id: UUID) -> HttpResponse:
    """The PDF as issued at approval, through the selector that checks visibility."""
    assessment = selectors.assessment_for_change(actor=request.user, assessment_id=assessment_id)
    return _pdf(selectors.document_for(actor=request.user, obj=assessment))


def inbox(request: HttpRequest) -> HttpResponse:
    """What was delivered to the user's organisation, with a button to acknowledge receipt."""
    _require(request, AssessmentAction.LIST)
    page_number = _page_number(request)
    rows, count = selectors.inbox(
        actor=request.user, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE
    )
    context = {"rows": rows, **_pagination(request, page_number, count)}
    return render(request, "assessments/inbox.html", context)


# --- General level, "as known on" --------------------------------------------------------------


def level_series(rows: list[Any]) -> tuple[list[dict[str, Any]], datetime | None]:
    """Steps of the level per area, from the timeline's rows (one approved assessment writes
    the national level and each area that differs; an area not named follows the nation)."""
    by_step: dict[Any, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: r.effective_from):
        step = by_step.setdefault(row.assessment_id, {"since": row.effective_from, "levels": {}})
        step["levels"][row.area] = row.level
    steps = [s for s in by_step.values() if NATIONAL in s["levels"]]
    areas = sorted({a for s in steps for a in s["levels"]}, key=lambda a: (a != NATIONAL, a))
    series = []
    for code in areas:
        points: list[tuple[datetime, int]] = []
        for s in steps:
            level = s["levels"].get(code, s["levels"][NATIONAL])
            if not points or points[-1][1] != level:
                points.append((s["since"], level))
        series.append({"area": code, "label": area_name(code), "steps": points})
    return series, (steps[0]["since"] if steps else None)


def general_level(request: HttpRequest) -> HttpResponse:
    """The general level's timeline: a chart of the steps per area and the table of steps."""
    _require(request, AssessmentAction.LIST)
    rows, count = selectors.general_level_timeline(actor=request.user, limit=WIDE)
    series, start = level_series(rows)
    current = selectors.general_level_current()
    context = {
        "rows": rows,
        "count": count,
        "series": series,
        "start": start,
        "end": timezone.now(),
        "current": [(r["area"], area_name(r["area"]), r["level"], r["since"]) for r in current],
    }
    return render(request, "assessments/general_level.html", context)


def _known_subject(request: HttpRequest, data: dict[str, Any]) -> str | None:
    kind, value = data["subject_type"], (data.get("value") or "").strip()
    if kind == "area":
        return f"area:{data.get('area') or NATIONAL}"
    if kind == "entity":
        return f"entity:{value.upper()}"
    if kind == "person":
        return f"person:{value}"
    # An event, by its reference, among the assessments of events the user may open.
    rows, _count = selectors.assessment_list(
        actor=request.user, filters=selectors.AssessmentFilters(kind="event"), limit=WIDE
    )
    found = next((a.event_id for a in rows if a.event and a.event.reference == value.upper()), None)
    return f"event:{found}" if found else None


def as_known_on(request: HttpRequest) -> HttpResponse:
    """Which level applied to a subject on a day, and which document said so."""
    _require(request, AssessmentAction.LIST)
    form = forms.AsKnownOnForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "searched": False}
    if form.is_valid():
        subject = _known_subject(request, form.cleaned_data)
        if subject is None:
            form.add_error("value", _("No assessed event with this reference that you may open."))
        else:
            context["searched"] = True
            context["known"] = selectors.level_as_known_on(
                actor=request.user, subject=subject, on=form.cleaned_data["on"]
            )
    template = "assessments/_known.html" if request.htmx else "assessments/as_known_on.html"
    return render(request, template, context)


# --- Strategic analyses ------------------------------------------------------------------------


def analysis_list(request: HttpRequest) -> HttpResponse:
    _require(request, AssessmentAction.LIST)
    page_number = _page_number(request)
    topic = request.GET.get("topic", "")
    rows, count = selectors.analysis_list(
        actor=request.user, topic=topic, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE
    )
    context = {
        "analyses": rows,
        "topics": selectors.topic_list(),
        "topic": topic,
        "can_write": can(request.user, AssessmentAction.WRITE),
        **_pagination(request, page_number, count),
    }
    return render(request, "assessments/analysis_list.html", context)


def _analysis_form(request: HttpRequest, **kwargs: Any) -> forms.AnalysisForm:
    def find_assessment(reference: str) -> Any:
        rows, _count = selectors.assessment_list(
            actor=request.user, filters=selectors.AssessmentFilters(reference=reference), limit=1
        )
        return rows[0] if rows else None

    infrastructures, _count = selectors.infrastructure_list(actor=request.user, limit=WIDE)
    return forms.AnalysisForm(
        request.POST or None,
        actor=request.user,
        topics=selectors.topic_list(),
        infrastructures=infrastructures,
        find_assessment=find_assessment,
        **kwargs,
    )


@require_http_methods(["GET", "POST"])
def analysis_create(request: HttpRequest) -> HttpResponse:
    _require(request, AssessmentAction.WRITE)
    form = _analysis_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            analysis = services.analysis_create(actor=request.user, data=form.to_input())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("%(ref)s is drafted.") % {"ref": analysis.reference})
            return redirect("assessments:analysis_detail", analysis_id=analysis.id)
    return render(request, "assessments/analysis_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def analysis_edit(request: HttpRequest, analysis_id: UUID) -> HttpResponse:
    _require(request, AssessmentAction.WRITE)
    analysis = selectors.analysis_for_change(actor=request.user, analysis_id=analysis_id)
    if analysis.status != ReviewStatus.DRAFT:
        messages.error(request, _("Only a draft is edited: correct an approved version."))
        return redirect("assessments:analysis_detail", analysis_id=analysis.id)
    form = _analysis_form(request, initial=forms.AnalysisForm.initial_from(analysis))
    if request.method == "POST" and form.is_valid():
        try:
            services.analysis_update(
                actor=request.user,
                analysis=analysis,
                data=form.to_input(),
                version=form.cleaned_data["version"],
            )
        except PreconditionFailed as exc:
            form.add_error(None, _stale(exc))
        except Conflict as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("assessments:analysis_detail", analysis_id=analysis.id)
    return render(request, "assessments/analysis_form.html", {"form": form, "analysis": analysis})


def analysis_detail(request: HttpRequest, analysis_id: UUID) -> HttpResponse:
    analysis = selectors.analysis_get(actor=request.user, analysis_id=analysis_id)
    context = {
        "a": analysis,
        "linked_assessments": list(analysis.assessments.all()),
        "linked_entities": list(analysis.entities.all()),
        "linked_infrastructures": list(analysis.infrastructures.all()),
        **_delivery_context(request, analysis),
    }
    return render(request, "assessments/analysis_detail.html", context)


@require_POST
def analysis_step(request: HttpRequest, analysis_id: UUID, step: str) -> HttpResponse:
    analysis = selectors.analysis_for_change(actor=request.user, analysis_id=analysis_id)
    return _step(request, "analysis", analysis, step)


def analysis_document(request: HttpRequest, analysis_id: UUID) -> HttpResponse:
    analysis = selectors.analysis_for_change(actor=request.user, analysis_id=analysis_id)
    return _pdf(selectors.document_for(actor=request.user, obj=analysis))


# --- Critical infrastructure -------------------------------------------------------------------


def infrastructure_list(request: HttpRequest) -> HttpResponse:
    _require(request, AssessmentAction.LIST)
    page_number = _page_number(request)
    rows, count = selectors.infrastructure_list(
        actor=request.user, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE
    )
    context = {
        "infrastructures": rows,
        "can_manage": can(request.user, AssessmentAction.INFRASTRUCTURE_MANAGE),
        **_pagination(request, page_number, count),
    }
    return render(request, "assessments/infrastructure_list.html", context)


def infrastructure_detail(request: HttpRequest, infrastructure_id: UUID) -> HttpResponse:
    infra = selectors.infrastructure_get(actor=request.user, infrastructure_id=infrastructure_id)
    context = {
        "infra": infra,
        "analyses": selectors.analyses_of_infrastructure(actor=request.user, infra=infra),
        "can_manage": can(request.user, AssessmentAction.INFRASTRUCTURE_MANAGE),
    }
    return render(request, "assessments/infrastructure_detail.html", context)


@require_http_methods(["GET", "POST"])
def infrastructure_edit(
    request: HttpRequest, infrastructure_id: UUID | None = None
) -> HttpResponse:
    _require(request, AssessmentAction.INFRASTRUCTURE_MANAGE)
    infra = None
    initial: dict[str, Any] = {}
    if infrastructure_id is not None:
        infra = selectors.infrastructure_get(
            actor=request.user, infrastructure_id=infrastructure_id
        )
        initial = forms.InfrastructureForm.initial_from(infra)
    form = forms.InfrastructureForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if infra is None:
                infra = services.infrastructure_create(actor=request.user, data=form.to_input())
            else:
                infra = services.infrastructure_update(
                    actor=request.user,
                    infrastructure=infra,
                    data=form.to_input(),
                    version=form.cleaned_data["version"],
                )
        except PreconditionFailed as exc:
            form.add_error(None, _stale(exc))
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("%(ref)s is saved.") % {"ref": infra.reference})
            return redirect("assessments:infrastructure_detail", infrastructure_id=infra.id)
    return render(request, "assessments/infrastructure_form.html", {"form": form, "infra": infra})


# --- The body's dashboard ----------------------------------------------------------------------


def dashboard(request: HttpRequest) -> HttpResponse:
    """Open requests by urgency and deadline, levels by kind, what expires this week, and the
    delivered texts whose receipt is not acknowledged."""
    _require(request, AssessmentAction.INTAKE_MANAGE)
    columns = _board_context(request)["columns"]
    open_items = [item for _key, _label, items in columns for item in items]
    urgencies = Counter(item.urgency for item in open_items)
    current, _count = selectors.assessment_list(
        actor=request.user, filters=selectors.AssessmentFilters(current=True), limit=WIDE
    )
    prefetch_related_objects(current, "recipients__organisation")
    final = [a for a in current if a.status in {ReviewStatus.APPROVED, ReviewStatus.DELIVERED}]
    by_kind: dict[str, Counter] = defaultdict(Counter)
    for a in final:
        by_kind[a.kind][a.level] += 1
    today = timezone.localdate()
    week_end = today + timedelta(days=7)
    context = {
        "by_urgency": [(str(u.label), urgencies.get(u.value, 0)) for u in Urgency],
        "by_deadline": [(str(label), len(items)) for _key, label, items in columns],
        "levels_by_kind": [
            (
                kind.label,
                [(f"{level}", by_kind[kind.value].get(level, 0)) for level in (1, 2, 3, 4)],
            )
            for kind in AssessmentKind
        ],
        "expiring": sorted(
            (a for a in final if a.valid_until and today <= a.valid_until <= week_end),
            key=lambda a: a.valid_until,
        ),
        "unacknowledged": [
            (a, [r for r in a.recipients.all() if r.acknowledged_at is None])
            for a in final
            if a.status == ReviewStatus.DELIVERED
            and any(r.acknowledged_at is None for r in a.recipients.all())
        ],
        "today": today,
        "week_end": week_end,
    }
    return render(request, "assessments/dashboard.html", context)

"""The screening UI. Thin: reads through selectors, writes through services; what a user sees
of a result is the selectors' answer (card/full: candidates in scope; hit/no-hit: listed or
not and the contact point)."""

from __future__ import annotations

import csv
import io
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vigie.access.policy import Action, can
from vigie.core.errors import RateLimited
from vigie.screening import forms, selectors, services
from vigie.screening.models import ScreeningJob

PAGE_SIZE = 50


def _view(request: HttpRequest) -> str:
    view = services.screening_view(request.user)
    if view is None:
        raise PermissionDenied(_("You are not allowed to screen names."))
    return view


def _errors(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(" ".join(v) for v in exc.message_dict.values())
    return " ".join(exc.messages)


@require_http_methods(["GET"])
def search(request: HttpRequest) -> HttpResponse:
    """The search box on every page: one name, optional birth date and nationality."""
    view = _view(request)
    form = forms.SearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "view": view}
    status = 200
    if form.is_valid():
        query = form.query()
        try:
            _job, results = services.screen_now(
                actor=request.user, queries=[query], kind=ScreeningJob.Kind.SEARCH
            )
        except RateLimited as exc:
            context["error"] = str(exc)
            status = 429
        except ValidationError as exc:
            context["error"] = _errors(exc)
            status = 422
        else:
            [row] = selectors.screening_results(
                actor=request.user, queries=[query], results=results
            )
            context["row"] = row
    return render(request, "screening/search.html", context, status=status)


@require_http_methods(["GET", "POST"])
def job_list(request: HttpRequest) -> HttpResponse:
    view = _view(request)
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.job_create(
                actor=request.user,
                data=upload.file,
                filename=upload.name or "",
                mapping=form.mapping(),
                purpose=form.cleaned_data["purpose"],
                threshold=form.cleaned_data.get("threshold"),
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        except RateLimited as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(ref)s: %(count)d names queued.") % {"ref": job.reference, "count": job.total},
            )
            return redirect("screening:job_detail", job_id=job.id)
    jobs, count = selectors.job_list(actor=request.user)
    return render(
        request,
        "screening/job_list.html",
        {"form": form, "jobs": jobs, "count": count, "view": view},
    )


def _page(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def job_detail(request: HttpRequest, job_id: UUID) -> HttpResponse:
    view = _view(request)
    job = selectors.job_get(actor=request.user, job_id=job_id)
    context: dict[str, Any] = {"job": job, "view": view, "rows": None}
    if job.status == ScreeningJob.Status.DONE:
        page = _page(request)
        rows, count = selectors.job_results(
            actor=request.user, job=job, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
        context |= {
            "rows": rows,
            "count": count,
            "page": page,
            "next_page": page + 1 if page * PAGE_SIZE < count else None,
            "previous_page": page - 1 if page > 1 else None,
            "decision_form": forms.DecisionForm(),
        }
    return render(request, "screening/job_detail.html", context)


def job_progress(request: HttpRequest, job_id: UUID) -> HttpResponse:
    """The progress bar (HTMX polls it until the job is done, then reloads the page)."""
    _view(request)
    job = selectors.job_get(actor=request.user, job_id=job_id)
    response = render(request, "screening/_progress.html", {"job": job})
    if job.status in (ScreeningJob.Status.DONE, ScreeningJob.Status.FAILED) and request.htmx:
        response["HX-Refresh"] = "true"
    return response


def _export_rows(request: HttpRequest, job: ScreeningJob) -> tuple[list[str], list[list[Any]]]:
    view = _view(request)
    rows, _count = selectors.job_results(actor=request.user, job=job, limit=None)
    if view != services.DETAIL:
        header = ["line", "query_id", "name", "listed", "contact"]
        return header, [[r["line"], r["query_id"], r["name"], "yes", r["contact"]] for r in rows]
    header = [
        "line",
        "query_id",
        "name",
        "record_id",
        "reference",
        "record_name",
        "score",
        "explanation",
        "decision",
        "comment",
    ]
    out = []
    for r in rows:
        for m in r["matches"]:
            out.append(
                [
                    r["line"],
                    r["query_id"],
                    r["name"],
                    m["record_id"],
                    m["reference"],
                    m["name"],
                    m["score"],
                    m["summary"],
                    m["decision"],
                    m["comment"],
                ]
            )
        if r.get("outside_view"):
            out.append([r["line"], r["query_id"], r["name"], "", "", "", "", r["contact"], "", ""])
    return header, out


def _safe(value: Any) -> Any:
    """No spreadsheet formula from a screened name (CSV/XLSX injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def job_download(request: HttpRequest, job_id: UUID, fmt: str) -> HttpResponse:
    job = selectors.job_get(actor=request.user, job_id=job_id)
    if fmt not in ("csv", "xlsx") or job.status != ScreeningJob.Status.DONE:
        raise Http404("not found")
    header, rows = _export_rows(request, job)
    name = f"{job.reference}-results.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows([[_safe(v) for v in row] for row in rows])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("results")
        sheet.append(header)
        for row in rows:
            sheet.append([_safe(v) for v in row])
        buffer_bytes = io.BytesIO()
        book.save(buffer_bytes)
        response = HttpResponse(
            buffer_bytes.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def hit_decide(request: HttpRequest, hit_id: UUID) -> HttpResponse:
    hit = selectors.hit_for_decision(actor=request.user, hit_id=hit_id)
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.hit_decide(
                actor=request.user,
                hit=hit,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("The decision is recorded."))
    else:
        messages.error(request, _("Choose confirm, false positive or escalate."))
    if hit.job_id:
        return redirect("screening:job_detail", job_id=hit.job_id)
    return redirect("screening:job_list")


def alert_list(request: HttpRequest) -> HttpResponse:
    alerts, count = selectors.alert_list(actor=request.user)
    return render(request, "screening/alert_list.html", {"alerts": alerts, "count": count})


@require_POST
def proposal_duplicates_check(request: HttpRequest) -> HttpResponse:
    """The proposal form's live check (HTMX): likely duplicates the proposer may see."""
    if not can(request.user, Action.REGISTRY_PROPOSE):
        raise PermissionDenied(_("You are not allowed to do this."))
    form = forms.DuplicateCheckForm(request.POST)
    record = None
    if form.is_valid():
        aliases = [v for k, v in request.POST.items() if k.startswith("alias_") and "type" not in k]
        record = form.record(aliases)
    items: list[dict[str, Any]] = []
    others = False
    if record is not None:
        try:
            items, others = selectors.likely_duplicates(actor=request.user, record=record)
        except ValueError:
            record = None
    return render(
        request,
        "screening/_duplicates.html",
        {"items": items, "others": others, "checked": record is not None, "body": False},
    )


def entity_duplicates(request: HttpRequest, entity_id: UUID) -> HttpResponse:
    """A proposal's likely duplicates on its page (validators see them all)."""
    if not can(request.user, Action.REGISTRY_VALIDATE):
        raise Http404("not found")
    found = selectors.proposal_duplicates(actor=request.user, entity_id=entity_id)
    return render(
        request,
        "screening/_duplicates.html",
        {"items": found["items"], "others": False, "checked": True, "body": True},
    )

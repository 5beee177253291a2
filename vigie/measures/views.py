"""The web UI of administrative measures and the national list. Thin: reads through
selectors, writes through services, decisions from vigie.access.policy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigie.access.policy import MeasureAction, MeasureView, can
from vigie.core.errors import Conflict, PreconditionFailed
from vigie.core.management.base import one_line

from . import forms, national_list, rules, selectors, services
from .choices import AdviceStatus, CaseStatus, MeasureFamily, MeasureType

PAGE_SIZE = 50


def case_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, MeasureAction.LIST):
        raise Http404("not found")
    form = forms.CaseFilterForm(request.GET)
    filters = selectors.CaseFilters(**form.cleaned_data) if form.is_valid() else None
    cases, count = selectors.case_list(actor=request.user, filters=filters, limit=PAGE_SIZE)
    context = {
        "form": form,
        "cases": cases,
        "count": count,
        "can_write": can(request.user, MeasureAction.WRITE),
        "can_propose": can(request.user, MeasureAction.PROPOSE),
    }
    template = "measures/_case_rows.html" if request.htmx else "measures/case_list.html"
    return render(request, template, context)


def case_create(request: HttpRequest, proposal: bool = False) -> HttpResponse:
    action = MeasureAction.PROPOSE if proposal else MeasureAction.WRITE
    if not can(request.user, action):
        raise PermissionDenied(_("You are not allowed to do this."))
    form = forms.CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = services.CaseInput(**form.cleaned_data)
        service = services.case_propose if proposal else services.case_open
        try:
            case = service(actor=request.user, data=data)
        except (ValidationError, Conflict) as error:
            form.add_error(None, one_line(error))
        else:
            messages.success(request, _("%(ref)s is open.") % {"ref": case.reference})
            return redirect("measures:case_detail", case_id=case.id)
    return render(request, "measures/case_form.html", {"form": form, "proposal": proposal})


def case_propose(request: HttpRequest) -> HttpResponse:
    return case_create(request, proposal=True)


def case_detail(request: HttpRequest, case_id: UUID) -> HttpResponse:
    case, view = selectors.case_get(actor=request.user, case_id=case_id)
    full = view == MeasureView.FULL
    org_id = request.user.organisation_id
    advices = list(case.advices.all())
    context: dict[str, Any] = {"case": case, "view": view, "full": full}
    context["legal_basis"] = _basis(case)
    if view == MeasureView.AUTHORITY:
        advices = [
            a for a in advices if any(r.organisation_id == org_id for r in a.recipients.all())
        ]
    context["advices"] = advices if view in (MeasureView.FULL, MeasureView.AUTHORITY) else []
    context["consultations"] = [
        c for c in case.consultations.all() if full or c.organisation_id == org_id
    ]
    context["answer_form"] = forms.AnswerForm()
    if full and can(request.user, MeasureAction.WRITE):
        open_case = case.status == CaseStatus.OPEN
        context |= {
            "consult_form": forms.ConsultForm() if open_case else None,
            "advice_create_form": forms.AdviceCreateForm(),
            "decision_form": forms.DecisionForm(initial={"version": case.version}),
            "review_form": forms.ReviewForm(),
            "appeal_form": forms.AppealForm(),
            "appeal_outcome_form": forms.AppealOutcomeForm(),
            "edit_forms": {
                a.id: forms.AdviceEditForm(
                    initial={
                        "version": a.version,
                        **{
                            f: getattr(a, f)
                            for f in forms.AdviceEditForm.base_fields
                            if f != "version"
                        },
                    }
                )
                for a in advices
                if a.status == AdviceStatus.DRAFT
            },
            "can_approve": can(request.user, MeasureAction.APPROVE),
        }
    return render(request, "measures/case_detail.html", context)


def _basis(case: Any) -> str:
    return str(rules.competence_of(case.measure_type).legal_basis)


def _run(request: HttpRequest, case_id: UUID, work: Callable[[], Any], done: str) -> HttpResponse:
    try:
        work()
    except PreconditionFailed as error:
        messages.error(
            request, _("Not saved: changed by someone else meanwhile (%(d)s).") % {"d": error}
        )
    except (ValidationError, Conflict, PermissionDenied) as error:
        messages.error(request, one_line(error))
    else:
        messages.success(request, done)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect("measures:case_detail", case_id=case_id)


def _invalid(request: HttpRequest, case_id: UUID, form: Any) -> HttpResponse:
    messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    return redirect("measures:case_detail", case_id=case_id)


@require_POST
def case_step(request: HttpRequest, case_id: UUID, step: str) -> HttpResponse:
    """One step on a case, from its page: consult, answer, advice, decision, review, appeal."""
    user = request.user
    case = selectors.case_for_change(actor=user, case_id=case_id)
    post = request.POST
    if step == "take":
        return _run(
            request,
            case_id,
            lambda: services.case_take(actor=user, case=case),
            _("You own this case."),
        )
    if step == "answer":
        form = forms.AnswerForm(post)
        if not form.is_valid():
            return _invalid(request, case_id, form)
        consultation = selectors.consultation_for_answer(
            actor=user, consultation_id=post.get("consultation")
        )
        return _run(
            request,
            case_id,
            lambda: services.consultation_answer(
                actor=user, consultation=consultation, **form.cleaned_data
            ),
            _("Answer sent."),
        )
    spec: dict[str, tuple[Any, Callable[[dict[str, Any]], Any], str]] = {
        "consult": (
            forms.ConsultForm,
            lambda d: services.consultation_request(
                actor=user,
                case=case,
                organisations=d["organisations"].split(","),
                deadline=d["deadline"],
                question=d["question"],
            ),
            _("Partners consulted."),
        ),
        "advice": (
            forms.AdviceCreateForm,
            lambda d: services.advice_create(actor=user, case=case, data=services.AdviceInput(**d)),
            _("Advice drafted."),
        ),
        "decision": (
            forms.DecisionForm,
            lambda d: services.decision_record(
                actor=user, case=case, version=d.pop("version"), data=services.DecisionInput(**d)
            ),
            _("Decision recorded."),
        ),
        "review": (
            forms.ReviewForm,
            lambda d: services.review_record(
                actor=user,
                review=next(r for r in case.reviews.all() if r.id == d["review"]),
                outcome=d["outcome"],
                reasons=d["reasons"],
            ),
            _("Review recorded."),
        ),
        "appeal": (
            forms.AppealForm,
            lambda d: services.appeal_record(actor=user, case=case, **d),
            _("Appeal recorded."),
        ),
        "appeal_outcome": (
            forms.AppealOutcomeForm,
            lambda d: services.appeal_outcome(
                actor=user,
                appeal=next(a for a in case.appeals.all() if a.id == d.pop("appeal")),
                **d,
            ),
            _("Outcome recorded."),
        ),
    }
    if step not in spec:
        raise Http404("not found")
    form_class, work, done = spec[step]
    form = form_class(post)
    if not form.is_valid():
        return _invalid(request, case_id, form)
    return _run(request, case_id, lambda: work(dict(form.cleaned_data)), done)


@require_POST
def advice_step(request: HttpRequest, advice_id: UUID, step: str) -> HttpResponse:
    """Edit, submit, return, approve, send, acknowledge an advice."""
    user = request.user
    advice = selectors.advice_for_change(actor=user, advice_id=advice_id)
    case_id = advice.case_id
    if step == "acknowledge":
        return _run(
            request,
            case_id,
            lambda: services.advice_acknowledge(actor=user, advice=advice),
            _("Receipt acknowledged."),
        )
    if step == "edit":
        form = forms.AdviceEditForm(request.POST)
        if not form.is_valid():
            return _invalid(request, case_id, form)
        changes = dict(form.cleaned_data)
        version = changes.pop("version")
        return _run(
            request,
            case_id,
            lambda: services.advice_update(
                actor=user, advice=advice, changes=changes, version=version
            ),
            _("Advice saved."),
        )
    form = forms.VersionForm(request.POST)
    if step not in {"submit", "return", "approve", "send"} or not form.is_valid():
        raise Http404("not found")
    version = form.cleaned_data["version"]
    if step == "return":
        work = lambda: services.advice_return(  # noqa: E731
            actor=user, advice=advice, reason=form.cleaned_data["reason"], version=version
        )
    else:
        service = getattr(services, f"advice_{step}")
        work = lambda: service(actor=user, advice=advice, version=version)  # noqa: E731
    return _run(request, case_id, work, _("Done."))


def advice_document(request: HttpRequest, advice_id: UUID) -> HttpResponse:
    advice = selectors.advice_get(actor=request.user, advice_id=advice_id)
    document = selectors.advice_document(actor=request.user, advice=advice)
    response = HttpResponse(bytes(document.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


def inbox(request: HttpRequest) -> HttpResponse:
    rows, count = selectors.inbox(actor=request.user)
    return render(request, "measures/inbox.html", {"rows": rows, "count": count})


def chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """An inline SVG bar chart of measures granted per year and family (plain coordinates)."""
    families = list(MeasureFamily.values)
    years = sorted({r["year"] for r in rows})
    totals = {(y, f): 0 for y in years for f in families}
    for r in rows:
        totals[(r["year"], rules.FAMILY_OF[r["measure_type"]])] += r["granted"]
    top = max([1, *totals.values()])
    bar, gap, height = 18, 14, 160
    bars, labels = [], []
    for i, year in enumerate(years):
        x0 = 40 + i * (len(families) * bar + gap)
        # Coordinates as plain strings: a localised number ("67,0") is not SVG.
        labels.append({"x": str(x0 + len(families) * bar // 2), "text": str(year)})
        for j, family in enumerate(families):
            value = totals[(year, family)]
            h = round(height * value / top)
            bars.append(
                {
                    "x": str(x0 + j * bar),
                    "y": str(10 + height - h),
                    "h": str(h),
                    "value": value,
                    "family": family,
                    "year": str(year),
                    "css": f"bar-{family}",
                }
            )
    width = 60 + max(1, len(years)) * (len(families) * bar + gap)
    return {
        "bars": bars,
        "labels": labels,
        "width": str(width),
        "height": str(height + 40),
        "base": str(height + 10),
        "label_y": str(height + 24),
        "top": str(top),
        "families": families,
    }


def statistics(request: HttpRequest) -> HttpResponse:
    rows = selectors.statistics(actor=request.user)
    if rows is None:
        raise PermissionDenied(_("You are not allowed to do this."))
    for row in rows:
        row["label"] = MeasureType(row["measure_type"]).label
    return render(request, "measures/statistics.html", {"rows": rows, "chart": chart(rows)})


def national_list_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        if request.POST.get("do") == "publish":
            try:
                publication, new = services.publication_create(actor=user)
            except PermissionDenied as error:
                raise Http404("not found") from error
            messages.success(
                request,
                (_("%(ref)s published.") if new else _("Unchanged since %(ref)s."))
                % {"ref": publication.reference},
            )
            return redirect("measures:national_list")
        form = forms.ScreenFileForm(request.POST, request.FILES)
        hits = None
        if form.is_valid():
            try:
                upload = form.cleaned_data.get("file")
                against = services.records_from_file(upload.read()) if upload else None
                hits = services.national_list_screen(actor=user, against=against)
            except (ValueError, UnicodeDecodeError) as error:
                messages.error(request, str(error))
        return _list_page(request, hits=hits)
    return _list_page(request)


def _list_page(request: HttpRequest, hits: Any = None) -> HttpResponse:
    entries = selectors.national_list_entries(actor=request.user)
    publications, _count = selectors.publication_list(actor=request.user, limit=10)
    latest = publications[0] if publications else None
    context = {
        "entries": entries,
        "headers": national_list.CSV_HEADERS,
        "rows": national_list.rows(entries),
        "publications": publications,
        "changes": selectors.publication_diff(latest) if latest else None,
        "screen_form": forms.ScreenFileForm(),
        "hits": hits,
    }
    return render(request, "measures/national_list.html", context)


def national_list_export(request: HttpRequest, publication_id: UUID, fmt: str) -> HttpResponse:
    if fmt not in national_list.FORMATS:
        raise Http404("not found")
    publication = selectors.publication_get(actor=request.user, publication_id=publication_id)
    content = services.publication_export(actor=request.user, publication=publication, fmt=fmt)
    _, content_type, extension = national_list.FORMATS[fmt]
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{publication.reference}.{extension}"'
    return response

"""The web UI of the common database. Thin: reads through selectors, writes through services,
decisions from vigie.access.policy. Nothing here touches a registry manager."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vigie.access.policy import Action, can
from vigie.core.choices import RecordView
from vigie.core.errors import PreconditionFailed, RateLimited
from vigie.registry import forms, selectors, services
from vigie.registry.choices import EntryStatus
from vigie.registry.cli_selectors import entity_lookup

PAGE_SIZE = 50
# Entity ids (str) -> purpose given in this session: asked once per person per session.
PURPOSES_KEY = "_vigie_registry_purposes"


def _require(request: HttpRequest, action: str) -> None:
    if not can(request.user, action):
        raise PermissionDenied(_("You are not allowed to do this."))


def _pagination(request: HttpRequest, page_number: int, count: int) -> dict[str, Any]:
    """Previous/next links that keep the filters of the query string."""
    filters = {k: v for k, v in request.GET.items() if k != "page" and v}
    last_page = max(1, -(-count // PAGE_SIZE))
    return {
        "count": count,
        "page_number": page_number,
        "last_page": last_page,
        "previous_query": urlencode({**filters, "page": page_number - 1})
        if page_number > 1
        else "",
        "next_query": urlencode({**filters, "page": page_number + 1})
        if page_number < last_page
        else "",
    }


def _page_number(request: HttpRequest) -> int:
    form = forms.PageForm(request.GET)
    return (form.cleaned_data.get("page") or 1) if form.is_valid() else 1


# --- Lists -------------------------------------------------------------------------------------


def _entity_list(request: HttpRequest, kind: str) -> HttpResponse:
    _require(request, Action.REGISTRY_LIST)
    form = forms.EntitySearchForm(request.GET)
    context: dict[str, Any] = {"form": form, "kind": kind, "entities": None}
    if form.is_valid():
        page_number = form.cleaned_data.get("page") or 1
        entities, count, view = selectors.entity_list(
            actor=request.user,
            filters=selectors.EntityFilters(**form.filters(kind)),
            limit=PAGE_SIZE,
            offset=(page_number - 1) * PAGE_SIZE,
        )
        context |= {"entities": entities, "view": view, **_pagination(request, page_number, count)}
    template = "registry/_entity_results.html" if request.htmx else "registry/entity_list.html"
    return render(request, template, context)


def person_list(request: HttpRequest) -> HttpResponse:
    return _entity_list(request, "person")


def organisation_list(request: HttpRequest) -> HttpResponse:
    return _entity_list(request, "organisation")


# --- One record ----------------------------------------------------------------------------------


def _purposes(request: HttpRequest) -> dict[str, str]:
    return request.session.get(PURPOSES_KEY, {})


def _record_context(request: HttpRequest, entity_id: UUID, **bound: Any) -> dict[str, Any] | None:
    """The record and its forms, or None when a purpose must be given first."""
    user = request.user
    purpose = _purposes(request).get(str(entity_id), "")
    if selectors.purpose_required(user) and not purpose:
        return None
    entity, view = selectors.entity_get(actor=user, entity_id=entity_id, purpose=purpose)
    data = selectors.entity_detail(entity, view, user)
    full = view == RecordView.FULL
    proposed = entity.status == EntryStatus.PROPOSED
    listed = entity.status == EntryStatus.VALIDATED
    version = {"version": entity.version}
    context: dict[str, Any] = {
        "entity": entity,
        "data": data,
        "full": full,
        "purpose": purpose,
        # Memberships with criteria and validator: the full record only.
        "memberships": list(entity.memberships.all()) if full else [],
    }
    if can(user, Action.REGISTRY_VALIDATE) and proposed:
        context["validate_form"] = bound.get("validate_form") or forms.ValidateForm(initial=version)
        context["reject_form"] = bound.get("reject_form") or forms.RejectForm(initial=version)
    if can(user, Action.REGISTRY_REVIEW) and listed:
        context["review_form"] = bound.get("review_form") or forms.ReviewForm(initial=version)
        context["relation_form"] = bound.get("relation_form") or forms.RelationForm()
    if entity.removal_proposed_by_id and can(user, Action.REGISTRY_APPROVE_REMOVAL):
        context["removal_proposed"] = True
        if entity.removal_proposed_by_id != user.pk:
            context["remove_form"] = bound.get("remove_form") or forms.RemoveForm()
    if can(user, Action.REGISTRY_PROPOSE):
        context["contribution_form"] = bound.get("contribution_form") or forms.ContributionForm()
    return context


def _record_response(
    request: HttpRequest, entity_id: UUID, status: int = 200, **bound: Any
) -> HttpResponse:
    context = _record_context(request, entity_id, **bound)
    if context is None:
        return _purpose_response(request, entity_id, forms.PurposeForm())
    return render(request, "registry/entity_detail.html", context, status=status)


def _purpose_response(
    request: HttpRequest, entity_id: UUID, form: forms.PurposeForm
) -> HttpResponse:
    try:
        # Out of scope is "not found" before any purpose is asked (journaled by entity_get).
        selectors.entity_for_change(actor=request.user, entity_id=entity_id)
    except Http404:
        selectors.entity_get(actor=request.user, entity_id=entity_id)
        raise
    return render(request, "registry/purpose.html", {"form": form, "entity_id": entity_id})


@require_http_methods(["GET", "POST"])
def entity_detail(request: HttpRequest, entity_id: UUID) -> HttpResponse:
    if request.method == "POST":
        form = forms.PurposeForm(request.POST)
        if not selectors.purpose_required(request.user):
            return redirect("registry:entity_detail", entity_id=entity_id)
        if not form.is_valid():
            return _purpose_response(request, entity_id, form)
        purposes = _purposes(request)
        purposes[str(entity_id)] = form.cleaned_data["purpose"].strip()
        request.session[PURPOSES_KEY] = purposes
        return redirect("registry:entity_detail", entity_id=entity_id)
    return _record_response(request, entity_id)


def _stale(exc: PreconditionFailed) -> str:
    return _(
        "Not saved: this record was changed by someone else meanwhile (%(detail)s). "
        "Reload the page to see the changes, then decide again."
    ) % {"detail": str(exc)}


def _saved(form: Any, write: Callable[[], object]) -> bool:
    """Run a service for a valid form; its refusals become form errors. True when it saved."""
    if not form.is_valid():
        return False
    try:
        write()
    except PreconditionFailed as exc:
        form.add_error(None, _stale(exc))
    except ValidationError as exc:
        form.add_service_error(exc)
    else:
        return True
    return False


@require_POST
def entity_validate(request: HttpRequest, entity_id: UUID) -> HttpResponse:
    entity = selectors.entity_for_change(actor=request.user, entity_id=entity_id)
    form = forms.ValidateForm(request.POST)
    if _saved(
        form,
        lambda: services.entity_validate(
            actor=request.user,
            entity=entity,
            memberships=form.memberships(),
            threat_level=form.cleaned_data["threat_level"],
            version=form.cleaned_data["version"],
        ),
    ):
        messages.success(request, _("%(ref)s is listed.") % {"ref": entity.reference})
        return redirect("registry:entity_detail", entity_id=entity_id)
    return _record_response(request, entity_id, validate_form=form)


@require_POST
def entity_reject(request: HttpRequest, entity_id: UUID) -> HttpResponse:
    entity = selectors.entity_for_change(actor=request.user, entity_id=entity_id)
    form = forms.RejectForm(request.POST)
    if _saved(
        form,
        lambda: services.entity_reject(
            actor=request.user,
            entity=entity,
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        ),
    ):
        messages.success(request, _("%(ref)s is rejected.") % {"ref": entity.reference})
        return redirect("registry:proposal_list")
    return _record_response(request, entity_id, reject_form=form)


@require_POST
def entity_relate(request: HttpRequest, entity_id: UUID) -> HttpResponse:
    entity = selectors.entity_for_change(actor=request.user, entity_id=entity_id)
    form = forms.RelationForm(request.POST)
    if form.is_valid():
        try:
            target = entity_lookup(actor=request.user, key=form.cleaned_data["target"])
        except Http404:
            form.add_error("target", _("No such entry."))
        else:
            try:
                services.relation_add(
                    actor=request.user, source=entity, target=target, kind=form.cleaned_data["kind"]
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("The relation is recorded."))
                return redirect("registry:entity_detail", entity_id=entity_id)
    return _record_response(request, entity_id, relation_form=form)


@require_POST
def entity_review(request: HttpRequest, entity_id: UUID) -> HttpResponse:
    entity = selectors.entity_for_change(actor=request.user, entity_id=entity_id)
    form = forms.ReviewForm(request.POST)
    if _saved(
        form,
        lambda: services.entity_review(
            actor=request.user,
            entity=entity,
            outcome=form.cleaned_data["outcome"],
            reasons=form.cleaned_data["reasons"],
            threat_level=form.cleaned_data["threat_level"],
            version=form.cleaned_data["version"],
        ),
    ):
        messages.success(request, _("The review is recorded."))
        return redirect("registry:entity_detail", entity_id=entity_id)
    return _record_response(request, entity_id, review_form=form)


@require_POST
def entity_remove(request: HttpRequest, entity_id: UUID) -> HttpResponse:
    entity = selectors.entity_for_change(actor=request.user, entity_id=entity_id)
    form = forms.RemoveForm(request.POST)
    if form.is_valid():
        try:
            reference = services.entity_remove(
                actor=request.user, entity=entity, reason=form.cleaned_data["reason"]
            )
        except PermissionDenied as exc:
            if not can(request.user, Action.REGISTRY_APPROVE_REMOVAL):
                raise
            # The four-eyes rule: the proposer of the removal cannot approve it.
            messages.error(request, str(exc))
            return redirect("registry:entity_detail", entity_id=entity_id)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("%(ref)s is removed.") % {"ref": reference})
            return redirect("registry:person_list")
    return _record_response(request, entity_id, remove_form=form)


@require_POST
def contribution_create(request: HttpRequest, entity_id: UUID) -> HttpResponse:
    entity = selectors.entity_for_change(actor=request.user, entity_id=entity_id)
    form = forms.ContributionForm(request.POST)
    if _saved(
        form,
        lambda: services.contribution_propose(
            actor=request.user,
            entity=entity,
            text=form.cleaned_data["text"],
            reliability=form.cleaned_data["reliability"],
            credibility=form.cleaned_data["credibility"],
            restricted_diffusion=form.cleaned_data["restricted_diffusion"],
            classification=form.cleaned_data["classification"],
        ),
    ):
        messages.success(request, _("Your contribution waits for a validator."))
        return redirect("registry:entity_detail", entity_id=entity_id)
    return _record_response(request, entity_id, contribution_form=form)


# --- Proposals -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest) -> HttpResponse:
    _require(request, Action.REGISTRY_PROPOSE)
    form = forms.ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entity = services.entity_propose(
                actor=request.user,
                data=form.to_input(),
                contribution_text=form.cleaned_data["contribution"],
                reliability=form.cleaned_data["reliability"],
                credibility=form.cleaned_data["credibility"],
                restricted_diffusion=form.cleaned_data["restricted_diffusion"],
                classification=form.cleaned_data["classification"],
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                _("%(ref)s is proposed; the coordination body will validate it.")
                % {"ref": entity.reference},
            )
            return redirect("registry:proposal_list")
    return render(request, "registry/proposal_form.html", {"form": form})


def proposal_list(request: HttpRequest) -> HttpResponse:
    _require(request, Action.REGISTRY_PROPOSE)
    page_number = _page_number(request)
    rows, count = selectors.proposal_list(
        actor=request.user, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE
    )
    context = {
        "proposals": rows,
        "can_open": can(request.user, Action.REGISTRY_REVIEW),
        **_pagination(request, page_number, count),
    }
    return render(request, "registry/proposal_list.html", context)


# --- Contributions -------------------------------------------------------------------------------


def contribution_list(request: HttpRequest) -> HttpResponse:
    _require(request, Action.REGISTRY_PROPOSE)
    page_number = _page_number(request)
    rows, count = selectors.pending_contributions(
        actor=request.user, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE
    )
    context = {
        "contributions": rows,
        "can_decide": can(request.user, Action.REGISTRY_VALIDATE),
        **_pagination(request, page_number, count),
    }
    return render(request, "registry/contribution_list.html", context)


@require_POST
def contribution_decide(request: HttpRequest, contribution_id: UUID) -> HttpResponse:
    contribution = selectors.contribution_for_decision(
        actor=request.user, contribution_id=contribution_id
    )
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or reject."))
        return redirect("registry:contribution_list")
    try:
        services.contribution_decide(
            actor=request.user,
            contribution=contribution,
            accept=form.cleaned_data["accept"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if form.cleaned_data["accept"]:
            done = _("The contribution on %(ref)s is accepted.")
        else:
            done = _("The contribution on %(ref)s is rejected.")
        messages.success(request, done % {"ref": contribution.entity.reference})
    return redirect("registry:contribution_list")


# --- Review --------------------------------------------------------------------------------------


def review_due(request: HttpRequest) -> HttpResponse:
    _require(request, Action.REGISTRY_REVIEW)
    form = forms.ReviewDueFilterForm(request.GET)
    context: dict[str, Any] = {"form": form, "entities": None}
    if form.is_valid():
        page_number = form.cleaned_data.get("page") or 1
        entities, count = selectors.review_due_list(
            actor=request.user,
            arrondissement=form.cleaned_data["arrondissement"],
            limit=PAGE_SIZE,
            offset=(page_number - 1) * PAGE_SIZE,
        )
        context |= {"entities": entities, **_pagination(request, page_number, count)}
    template = "registry/_review_results.html" if request.htmx else "registry/review_due.html"
    return render(request, template, context)


# --- Hit/no-hit ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def hit_check(request: HttpRequest) -> HttpResponse:
    _require(request, Action.REGISTRY_HIT_CHECK)
    form = forms.HitCheckForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            context["result"] = selectors.hit_check(
                actor=request.user,
                name=form.cleaned_data["name"],
                birth_date=form.cleaned_data["birth_date"],
            )
        except RateLimited as exc:
            context["rate_limited"] = str(exc)
            status = 429
        except ValidationError as exc:
            form.add_error("name", " ".join(exc.messages))
    return render(request, "registry/hit_check.html", context, status=status)

"""The oversight UI of the journal. Thin: access and journaling live in the services."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vigie.audit.forms import EventSearchForm
from vigie.audit.services import journal_access_check, journal_search

PAGE_SIZE = 50


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    # Always bound: every filter is optional, so an empty query is a valid "everything".
    form = EventSearchForm(request.GET)
    context: dict[str, object] = {"form": form, "events": None}
    if not form.is_valid():
        journal_access_check(actor=request.user)  # a refusal comes before form errors
    else:
        page_number = form.cleaned_data.get("page") or 1
        page = journal_search(
            actor=request.user,
            filters=form.to_filters(),
            limit=PAGE_SIZE,
            offset=(page_number - 1) * PAGE_SIZE,
        )
        filters = {k: v for k, v in request.GET.items() if k != "page" and v}
        last_page = max(1, -(-page.count // PAGE_SIZE))
        context |= {
            "events": page.items,
            "count": page.count,
            "page_number": page_number,
            "last_page": last_page,
            "previous_query": urlencode({**filters, "page": page_number - 1})
            if page_number > 1
            else "",
            "next_query": urlencode({**filters, "page": page_number + 1})
            if page_number < last_page
            else "",
        }
    template = "audit/_event_results.html" if request.htmx else "audit/event_list.html"
    return render(request, template, context)

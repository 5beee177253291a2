"""Sign-in, sign-out, language, the home page and account management. Thin: rules live in
services, decisions in vigie.access.policy."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigie.access.policy import Action, can
from vigie.core import selectors, services
from vigie.core.errors import PreconditionFailed
from vigie.core.forms import AccountCreateForm, AccountEditForm, CodeStepForm, PasswordStepForm
from vigie.core.middleware import is_fully_signed_in
from vigie.core.models import User

NEXT_KEY = "_vigie_next"
ENROL_KEY = "_vigie_enrol_device"


def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/home.html",
        {"can_manage_accounts": can(request.user, Action.ACCOUNTS_MANAGE)},
    )


# --- Sign-in ---------------------------------------------------------------------------------


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Step 1: username and password."""
    if is_fully_signed_in(request):
        return redirect("core:home")
    form = PasswordStepForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        next_url = _safe_next(request, request.POST.get("next"))
        if services.sign_in_password(
            request=request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        ):
            request.session[NEXT_KEY] = next_url
            return redirect("core:login_code")
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        # One message for every cause: no hint whether the name exists.
        error = _("Wrong username or password.")
    expired = request.session.pop(services.EXPIRED_KEY, None)
    return render(
        request,
        "core/login.html",
        {
            "form": form,
            "error": error,
            "expired": expired,
            "next": _safe_next(request, request.GET.get("next") or request.POST.get("next")),
        },
    )


@require_http_methods(["GET", "POST"])
def login_code_view(request: HttpRequest) -> HttpResponse:
    """Step 2: the 6-digit code of the user's authenticator."""
    user = services.pending_user(request)
    if user is None:
        return redirect("core:login")
    form = CodeStepForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        if services.sign_in_code(request=request, code=form.cleaned_data["code"]):
            next_url = request.session.pop(NEXT_KEY, "") or settings.LOGIN_REDIRECT_URL
            response = redirect(next_url)
            _apply_language(request, response, user.language)
            return response
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        error = _("Wrong code. Enter the code your authenticator shows now.")
    has_device = services.totp_device(user) is not None
    return render(
        request, "core/login_code.html", {"form": form, "error": error, "has_device": has_device}
    )


def _apply_language(request: HttpRequest, response: HttpResponse, language: str) -> None:
    """The account's language wins at sign-in (LocaleMiddleware reads the cookie)."""
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    services.sign_out(request=request)
    return redirect("core:login")


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
    *args: Any,
    **kwargs: Any,
) -> HttpResponse:
    """axes' lockout response (AXES_LOCKOUT_CALLABLE) and ours."""
    return render(request, "core/locked_out.html", status=429)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, plus the signed-in user's preference is remembered."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if is_fully_signed_in(request) and language in dict(settings.LANGUAGES):
        services.user_set_language(user=request.user, language=language)
    return response


# --- Accounts (administrators) ---------------------------------------------------------------


def account_list(request: HttpRequest) -> HttpResponse:
    accounts = selectors.account_list(
        actor=request.user,
        organisation=request.GET.get("organisation") or None,
        role=request.GET.get("role") or None,
    )
    template = "core/partials/account_rows.html" if request.htmx else "core/account_list.html"
    return render(request, template, {"accounts": accounts})


def _form_values(form: AccountCreateForm | AccountEditForm) -> dict[str, Any]:
    fields = services.ACCOUNT_FIELDS
    return {k: v for k, v in form.cleaned_data.items() if k in fields}


@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    # The service would refuse too; refuse before showing the form.
    selectors.require_accounts_manager(request.user, "account.create")
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account, device = services.account_create(
                actor=request.user,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"] or None,
                **_form_values(form),
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            request.session[ENROL_KEY] = device.pk
            messages.success(request, _("Account %(name)s created.") % {"name": account.username})
            return redirect("core:account_enrolment", account_id=account.pk)
    return render(request, "core/account_form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
def account_edit(request: HttpRequest, account_id: UUID) -> HttpResponse:
    account = selectors.account_get(actor=request.user, account_id=account_id)
    initial = {name: getattr(account, name) for name in services.ACCOUNT_FIELDS}
    initial["version"] = services.account_version(account)
    form = AccountEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_update(
                actor=request.user,
                account=account,
                changes=_form_values(form) | {"is_active": form.cleaned_data["is_active"]},
                version=form.cleaned_data["version"],
            )
        except PreconditionFailed as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Account %(name)s saved.") % {"name": account.username})
            return redirect("core:account_list")
    return render(
        request, "core/account_form.html", {"form": form, "account": account, "creating": False}
    )


@require_POST
def account_totp_reset(request: HttpRequest, account_id: UUID) -> HttpResponse:
    account = selectors.account_get(actor=request.user, account_id=account_id)
    try:
        device = services.totp_reset(actor=request.user, account=account)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("core:account_edit", account_id=account.pk)
    request.session[ENROL_KEY] = device.pk
    return redirect("core:account_enrolment", account_id=account.pk)


@never_cache
def account_enrolment(request: HttpRequest, account_id: UUID) -> HttpResponse:
    """The new authenticator secret as a QR code: shown once, then gone from the session."""
    account: User = selectors.account_get(actor=request.user, account_id=account_id)
    device_id = request.session.pop(ENROL_KEY, None)
    device = TOTPDevice.objects.filter(pk=device_id, user=account).first() if device_id else None
    if device is None:
        raise PermissionDenied(_("The enrolment code was shown already; reset it to show anew."))
    return render(
        request,
        "core/account_enrolment.html",
        {
            "account": account,
            "provisioning_uri": device.config_url,
            "qr_svg": services.totp_qr_svg(device),
        },
    )

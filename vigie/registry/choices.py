"""Vocabularies of the common database (DOMAIN.md §1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vigie.core.choices import Category


class EntryStatus(models.TextChoices):
    """Where an entry stands: a proposal is seen by its proposer and the body only."""

    PROPOSED = "proposed", _("Proposed")
    VALIDATED = "validated", _("Validated")
    REJECTED = "rejected", _("Rejected")


class SubStatus(models.TextChoices):
    FTF_INTENDING = "ftf_intending", _("Intending to leave")
    FTF_PREVENTED = "ftf_prevented", _("Prevented from leaving")
    FTF_DEPARTED = "ftf_departed", _("Departed")
    FTF_RETURNED = "ftf_returned", _("Returned")
    FTF_PRESUMED_DEAD = "ftf_presumed_dead", _("Presumed dead")
    HTF_INTENT = "htf_intent", _("Intent to act")
    HTF_SUPPORT = "htf_support", _("Support")
    PH_PERSON = "ph_person", _("Person")
    PH_ORGANISATION = "ph_organisation", _("Organisation")
    PCT_CONVICTED_BE = "pct_convicted_be", _("Convicted in Belgium")
    PCT_CONVICTED_ABROAD = "pct_convicted_abroad", _("Convicted abroad")
    PCT_INTERNED_BE = "pct_interned_be", _("Interned in Belgium")
    PCT_INTERNED_ABROAD = "pct_interned_abroad", _("Interned abroad")
    PCT_PROTECTION_BE = "pct_protection_be", _("Protection measure in Belgium")
    PCT_PROTECTION_ABROAD = "pct_protection_abroad", _("Protection measure abroad")


# Which sub-statuses each category admits; EPV has none.
SUB_STATUSES: dict[str, tuple[str, ...]] = {
    Category.FTF: tuple(s for s in SubStatus.values if s.startswith("ftf_")),
    Category.HTF: tuple(s for s in SubStatus.values if s.startswith("htf_")),
    Category.PH: tuple(s for s in SubStatus.values if s.startswith("ph_")),
    Category.EPV: (),
    Category.PCT: tuple(s for s in SubStatus.values if s.startswith("pct_")),
}


class NameType(models.TextChoices):
    PRIMARY = "primary", _("Name")
    ALIAS = "alias", _("Alias")
    KUNYA = "kunya", _("Kunya")
    TRANSLITERATION = "transliteration", _("Transliteration")


class Script(models.TextChoices):
    LATIN = "latin", _("Latin")
    ARABIC = "arabic", _("Arabic")
    CYRILLIC = "cyrillic", _("Cyrillic")
    OTHER = "other", _("Other")


class Reliability(models.TextChoices):
    """Source grading, reliability of the source (A–F)."""

    A = "A", _("A – completely reliable")
    B = "B", _("B – usually reliable")
    C = "C", _("C – fairly reliable")
    D = "D", _("D – not usually reliable")
    E = "E", _("E – unreliable")
    F = "F", _("F – reliability cannot be judged")


class Credibility(models.TextChoices):
    """Source grading, credibility of the information (1–6)."""

    C1 = "1", _("1 – confirmed by other sources")
    C2 = "2", _("2 – probably true")
    C3 = "3", _("3 – possibly true")
    C4 = "4", _("4 – doubtful")
    C5 = "5", _("5 – improbable")
    C6 = "6", _("6 – truth cannot be judged")


class RelationKind(models.TextChoices):
    SIBLING = "sibling", _("Sibling")
    PARENT = "parent", _("Parent")
    SPOUSE = "spouse", _("Spouse")
    ASSOCIATE = "associate", _("Associate")
    MEMBER = "member", _("Member of")
    LEADER = "leader", _("Leader of")


class DocumentType(models.TextChoices):
    ID_CARD = "id_card", _("Identity card")
    PASSPORT = "passport", _("Passport")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    NATIONAL_NUMBER = "national_number", _("National register number")
    OTHER = "other", _("Other document")


class ReviewOutcome(models.TextChoices):
    MAINTAIN = "maintain", _("Maintain")
    CHANGE = "change", _("Change level or category")
    PROPOSE_REMOVAL = "propose_removal", _("Propose removal")

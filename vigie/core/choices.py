"""The fixed vocabularies of the domain (DOMAIN.md), with FR/NL labels through gettext."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user does inside their organisation; narrows the organisation's profile."""

    ANALYST = "analyst", _("Analyst")
    VALIDATOR = "validator", _("Validator")
    PARTNER_OFFICER = "partner_officer", _("Partner officer")
    LOCAL_OFFICER = "local_officer", _("Local officer")
    OVERSIGHT = "oversight", _("Oversight")
    ADMINISTRATOR = "administrator", _("Administrator")


class Clearance(models.IntegerChoices):
    """Security clearance, ordered so that a higher value opens every lower marking."""

    NONE = 0, _("None")
    RESTREINT = 1, _("RESTRICTED")
    CONFIDENTIEL = 2, _("CONFIDENTIAL")
    SECRET = 3, _("SECRET")
    TRES_SECRET = 4, _("TOP SECRET")


class Classification(models.IntegerChoices):
    """Belgian classification levels (Law of 11 December 1998); 0 is unclassified."""

    UNCLASSIFIED = 0, _("Unclassified")
    RESTREINT = 1, _("RESTRICTED")
    CONFIDENTIEL = 2, _("CONFIDENTIAL")
    SECRET = 3, _("SECRET")
    TRES_SECRET = 4, _("TOP SECRET")


class TLP(models.TextChoices):
    """Traffic Light Protocol 2.0, the common language for exchange abroad."""

    CLEAR = "CLEAR", "TLP:CLEAR"
    GREEN = "GREEN", "TLP:GREEN"
    AMBER = "AMBER", "TLP:AMBER"
    AMBER_STRICT = "AMBER+STRICT", "TLP:AMBER+STRICT"
    RED = "RED", "TLP:RED"


class OrganisationKind(models.TextChoices):
    COORDINATION_BODY = "coordination_body", _("Coordination body")
    BASIC_SERVICE = "basic_service", _("Basic service")
    PARTNER_SERVICE = "partner_service", _("Partner service")
    LOCAL_PARTNER = "local_partner", _("Local partner")
    OVERSIGHT_BODY = "oversight_body", _("Oversight body")
    AUTHORITY = "authority", _("Authority")
    FOREIGN_PARTNER = "foreign_partner", _("Foreign partner")


class Sector(models.TextChoices):
    """Which oversight body watches an organisation's actors (Comité P, Comité R)."""

    COORDINATION = "coordination", _("Coordination body")
    POLICE = "police", _("Police")
    INTELLIGENCE = "intelligence", _("Intelligence")
    OTHER = "other", _("Other")


class AccessType(models.TextChoices):
    """The three legal access types to the common database, plus none."""

    NONE = "none", _("No access")
    CONSULT = "consult", _("Consultation")
    CONSULT_FEED = "consult_feed", _("Consultation and feeding")
    HIT_NO_HIT = "hit_no_hit", _("Hit/no-hit only")


class RecordView(models.TextChoices):
    """How much of a person's record a reader sees."""

    FULL = "full", _("Full record")
    CARD = "card", _("Information card")
    NONE = "none", _("Nothing")


class OversightScope(models.TextChoices):
    """Which journal events an oversight body may search."""

    NONE = "", _("None")
    POLICE = "police", _("Events of police actors (Comité P)")
    INTELLIGENCE = "intelligence", _("Events of intelligence services and the body (Comité R)")
    DATABASE = "database", _("Events concerning the common database (COC)")
    ALL = "all", _("All events")


class Category(models.TextChoices):
    """The five categories of the common database."""

    FTF = "FTF", _("Foreign terrorist fighter")
    HTF = "HTF", _("Homegrown terrorist fighter")
    PH = "PH", _("Hate propagandist")
    EPV = "EPV", _("Potentially violent extremist")
    PCT = "PCT", _("Person convicted of terrorism")


class ThreatLevel(models.IntegerChoices):
    """Royal Decree of 28 November 2006, art. 11 §6."""

    LOW = 1, _("1 – LOW")
    MEDIUM = 2, _("2 – MEDIUM")
    SERIOUS = 3, _("3 – SERIOUS")
    VERY_SERIOUS = 4, _("4 – VERY SERIOUS")


THREAT_LEVEL_MEANINGS = {
    ThreatLevel.LOW: _("The person, group or event is not threatened."),
    ThreatLevel.MEDIUM: _("A threat is unlikely."),
    ThreatLevel.SERIOUS: _("A threat is possible and likely."),
    ThreatLevel.VERY_SERIOUS: _("The threat is serious and imminent."),
}

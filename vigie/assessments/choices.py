"""Vocabularies of threat assessments (DOMAIN.md §2) and their official FR/NL wording."""

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssessmentKind(models.TextChoices):
    EVENT = "event", _("Event")
    THREATENED_PERSON = "threatened_person", _("Threatened person")
    THREAT_SOURCE = "threat_source", _("Threat from a person or group")
    GENERAL = "general", _("General threat level")


class ReviewStatus(models.TextChoices):
    """Four-eyes: an author drafts and submits, another validator approves, then delivery."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    DELIVERED = "delivered", _("Delivered")


class Urgency(models.TextChoices):
    """How fast partner information is handled (DOMAIN.md §1)."""

    FLASH = "flash", _("Flash (24 hours)")
    URGENT = "urgent", _("Urgent (3 days)")
    ROUTINE = "routine", _("Routine (10 days)")


URGENCY_DELAYS = {
    Urgency.FLASH: timedelta(hours=24),
    Urgency.URGENT: timedelta(days=3),
    Urgency.ROUTINE: timedelta(days=10),
}


class IntakeKind(models.TextChoices):
    REQUEST = "request", _("Request for an assessment")
    REPORT = "report", _("Information report")


class IntakeStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


# Allowed moves of an intake item (the board's owner moves it by hand, the assessment's
# delivery answers it).
INTAKE_TRANSITIONS = {
    IntakeStatus.RECEIVED: {IntakeStatus.ASSIGNED, IntakeStatus.CLOSED},
    IntakeStatus.ASSIGNED: {IntakeStatus.IN_PROGRESS, IntakeStatus.RECEIVED, IntakeStatus.CLOSED},
    IntakeStatus.IN_PROGRESS: {IntakeStatus.ANSWERED, IntakeStatus.ASSIGNED, IntakeStatus.CLOSED},
    IntakeStatus.ANSWERED: {IntakeStatus.CLOSED, IntakeStatus.IN_PROGRESS},
    IntakeStatus.CLOSED: {IntakeStatus.IN_PROGRESS},
}


class EventKind(models.TextChoices):
    FESTIVAL = "festival", _("Festival or concert")
    MARKET = "market", _("Market or fair")
    SPORT = "sport", _("Sports event")
    SUMMIT = "summit", _("Summit or political meeting")
    VISIT = "visit", _("Official visit")
    DEMONSTRATION = "demonstration", _("Demonstration")
    RELIGIOUS = "religious", _("Religious gathering")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    """The language of an issued document: the body issues in French or Dutch."""

    FR = "fr", _("French")
    NL = "nl", _("Dutch")


class InfrastructureScope(models.TextChoices):
    NATIONAL = "national", _("National critical infrastructure")
    EUROPEAN = "european", _("European critical infrastructure")


class InfrastructureSector(models.TextChoices):
    ENERGY = "energy", _("Energy")
    TRANSPORT = "transport", _("Transport")
    FINANCE = "finance", _("Finance")
    TELECOM = "telecom", _("Electronic communications")
    NUCLEAR = "nuclear", _("Nuclear")
    SPACE = "space", _("Space")
    WATER = "water", _("Drinking water")
    HEALTH = "health", _("Health")
    OTHER = "other", _("Other")


# The area of a general level: the country, a province (NIS code) or the Brussels region.
NATIONAL = "BE"
BRUSSELS_REGION = "04000"

# Official wording of the levels (Royal Decree of 28 November 2006, art. 11 §6): data in both
# languages, printed as is on documents whatever the reader's interface language.
OFFICIAL_LEVELS = {
    1: {
        "fr": ("FAIBLE", "La personne, le groupement ou l'événement n'est pas menacé."),
        "nl": ("LAAG", "De persoon, de groepering of de gebeurtenis wordt niet bedreigd."),
    },
    2: {
        "fr": ("MOYEN", "La menace est peu vraisemblable."),
        "nl": ("GEMIDDELD", "De dreiging is weinig waarschijnlijk."),
    },
    3: {
        "fr": ("GRAVE", "La menace est possible et vraisemblable."),
        "nl": ("ERNSTIG", "De dreiging is mogelijk en waarschijnlijk."),
    },
    4: {
        "fr": ("TRÈS GRAVE", "La menace est sérieuse et imminente."),
        "nl": ("ZEER ERNSTIG", "De dreiging is ernstig en zeer nabij."),
    },
}

"""The rules of individual administrative measures, in one place (DOMAIN.md §3).

Durations and delays can be overridden with the setting `MEASURE_RULES` (a dict with any of
the keys of `DEFAULTS`), since some are policy rather than law.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .choices import MeasureFamily, MeasureType

DEFAULTS: dict[str, Any] = {
    # An ID-card measure lasts 3 months and can be renewed once (RD 26 December 2015).
    "id_card_months": 3,
    "id_card_renewals": 1,
    # The national list is reviewed every 6 months (RD 28 December 2006).
    "freeze_review_months": 6,
    # Owners are reminded this many days before a review is due.
    "review_reminder_days": 14,
    # A consulted partner answers within this many days unless the analyst says otherwise.
    "consultation_days": 10,
    # Partners consulted by default (organisation codes): the federal prosecutor.
    "default_consulted": ["prosecution"],
}


def rule(name: str) -> Any:
    return {**DEFAULTS, **getattr(settings, "MEASURE_RULES", {})}[name]


FAMILY_OF: dict[str, str] = {
    MeasureType.ID_WITHDRAWAL: MeasureFamily.ID_CARD,
    MeasureType.ID_INVALIDATION: MeasureFamily.ID_CARD,
    MeasureType.ID_REFUSAL: MeasureFamily.ID_CARD,
    MeasureType.PASSPORT_REFUSAL: MeasureFamily.PASSPORT,
    MeasureType.PASSPORT_WITHDRAWAL: MeasureFamily.PASSPORT,
    MeasureType.PASSPORT_NON_RENEWAL: MeasureFamily.PASSPORT,
    MeasureType.ASSET_FREEZE: MeasureFamily.ASSET_FREEZE,
}

# An ID-card measure brings a passport measure for the same period.
LINKED_PASSPORT_MEASURE: dict[str, str] = {
    MeasureType.ID_WITHDRAWAL: MeasureType.PASSPORT_WITHDRAWAL,
    MeasureType.ID_INVALIDATION: MeasureType.PASSPORT_WITHDRAWAL,
    MeasureType.ID_REFUSAL: MeasureType.PASSPORT_REFUSAL,
}


@dataclass(frozen=True)
class Competence:
    authority_code: str  # the organisation (kind authority) that decides
    legal_basis: Any  # lazy text, shown on the case and printed on the advice
    legal_basis_fr: str
    legal_basis_nl: str


COMPETENCE: dict[str, Competence] = {
    MeasureFamily.ID_CARD: Competence(
        "minister-interior",
        _("Law of 19 July 1991, art. 6 §10; Royal Decree of 26 December 2015"),
        "Loi du 19 juillet 1991, art. 6 §10 ; arrêté royal du 26 décembre 2015",
        "Wet van 19 juli 1991, art. 6 §10; koninklijk besluit van 26 december 2015",
    ),
    MeasureFamily.PASSPORT: Competence(
        "minister-foreign-affairs",
        _("Consular Code: substantial risk to public order or security"),
        "Code consulaire : risque substantiel pour l'ordre public ou la sécurité",
        "Consulair Wetboek: substantieel risico voor de openbare orde of veiligheid",
    ),
    MeasureFamily.ASSET_FREEZE: Competence(
        "national-security-council",
        _(
            "Royal Decree of 28 December 2006, arts 3 and 5 (National Security Council, "
            "approved by the Council of Ministers, published by Royal Decree)"
        ),
        "Arrêté royal du 28 décembre 2006, art. 3 et 5",
        "Koninklijk besluit van 28 december 2006, art. 3 en 5",
    ),
}


def family_of(measure_type: str) -> str:
    return FAMILY_OF[measure_type]


def competence_of(measure_type: str) -> Competence:
    return COMPETENCE[FAMILY_OF[measure_type]]


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))

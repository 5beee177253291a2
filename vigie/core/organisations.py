"""Reference organisations: the services of DOMAIN.md §1 and §4, each with its access profile.

The table is the starting point, not the law: profiles are data the operator may change
(docs/organisations.md). Loaded after every migrate (vigie.core.signals), so every database
has the services; only missing codes are created there, and `vigie seed --reset-profiles`
puts the profiles back to this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from vigie.core.choices import (
    AccessType,
    Category,
    OrganisationKind,
    OversightScope,
    RecordView,
    Sector,
)
from vigie.core.models import Organisation

K = OrganisationKind
S = Sector
A = AccessType
V = RecordView


@dataclass(frozen=True, slots=True)
class OrganisationSpec:
    """One reference organisation and its default access profile.

    No territory here: services with a local remit (local police, CSIL-R) are national
    profiles narrowed per user (User.territory_*), so one row serves every municipality.
    """

    code: str
    name_fr: str
    name_nl: str
    name_en: str
    kind: OrganisationKind
    sector: Sector
    access_type: AccessType
    record_view: RecordView
    # Empty: every category.
    categories: tuple[Category, ...] = ()
    oversight_scope: OversightScope = OversightScope.NONE

    def profile(self) -> dict[str, object]:
        """The access profile as model field values."""
        return {
            "kind": self.kind,
            "sector": self.sector,
            "access_type": self.access_type,
            "record_view": self.record_view,
            "categories": [str(c) for c in self.categories],
            "oversight_scope": self.oversight_scope,
        }

    def names(self) -> dict[str, str]:
        return {"name_fr": self.name_fr, "name_nl": self.name_nl, "name_en": self.name_en}


# Codes referred to by the demo and tests.
OCAM = "ocam"
FEDERAL_POLICE = "police-federal"
LOCAL_POLICE = "police-local"
IMMIGRATION_OFFICE = "immigration-office"
CUSTOMS = "customs"
PIU = "piu"
CSIL = "csil-r"
COMITE_P = "comite-p"
COMITE_R = "comite-r"
COC = "coc"

# One service per entry: code, names FR/NL/EN, kind, sector, access type, record view,
# categories (empty: all), oversight scope. Kept compact so the table reads as a table.
# fmt: off
REFERENCE_ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    # --- The coordination body: operational manager of the common database, full access.
    OrganisationSpec(
        OCAM,
        "Organe de coordination pour l'analyse de la menace (OCAM)",
        "Coördinatieorgaan voor de dreigingsanalyse (OCAD)",
        "Coordination Unit for Threat Analysis (CUTA)",
        K.COORDINATION_BODY, S.COORDINATION, A.CONSULT_FEED, V.FULL,
    ),
    # --- Basic services: legal duty to feed, full record.
    OrganisationSpec(
        FEDERAL_POLICE,
        "Police fédérale",
        "Federale politie",
        "Federal Police",
        K.BASIC_SERVICE, S.POLICE, A.CONSULT_FEED, V.FULL,
    ),
    OrganisationSpec(
        LOCAL_POLICE,
        "Police locale",
        "Lokale politie",
        "Local Police",
        K.BASIC_SERVICE, S.POLICE, A.CONSULT_FEED, V.FULL,
    ),
    OrganisationSpec(
        "vsse",
        "Sûreté de l'État (VSSE)",
        "Veiligheid van de Staat (VSSE)",
        "State Security Service (VSSE)",
        K.BASIC_SERVICE, S.INTELLIGENCE, A.CONSULT_FEED, V.FULL,
    ),
    OrganisationSpec(
        "sgrs",
        "Service général du renseignement et de la sécurité (SGRS)",
        "Algemene Dienst Inlichting en Veiligheid (ADIV)",
        "General Intelligence and Security Service (SGRS/ADIV)",
        K.BASIC_SERVICE, S.INTELLIGENCE, A.CONSULT_FEED, V.FULL,
    ),
    # --- Partner services: need-to-know, mostly the information card.
    OrganisationSpec(
        PIU,
        "Unité d'information des passagers (BelPIU)",
        "Passagiersinformatie-eenheid (BelPIU)",
        "Passenger Information Unit (BelPIU)",
        # Screens passenger lists: needs to know whether a name is listed, nothing more.
        K.PARTNER_SERVICE, S.OTHER, A.HIT_NO_HIT, V.NONE,
    ),
    OrganisationSpec(
        "dg-security-prevention",
        "SPF Intérieur — DG Sécurité et Prévention",
        "FOD Binnenlandse Zaken — AD Veiligheid en Preventie",
        "FPS Interior — DG Security and Prevention",
        K.PARTNER_SERVICE, S.OTHER, A.CONSULT, V.CARD,
    ),
    OrganisationSpec(
        "dg-prisons",
        "SPF Justice — DG Établissements pénitentiaires (EPI)",
        "FOD Justitie — DG Penitentiaire Inrichtingen (EPI)",
        "FPS Justice — DG Prisons (EPI)",
        # Prisons observe detainees daily and must report what they see.
        K.PARTNER_SERVICE, S.OTHER, A.CONSULT_FEED, V.CARD,
    ),
    OrganisationSpec(
        "dg-consular",
        "SPF Affaires étrangères — DG Affaires consulaires",
        "FOD Buitenlandse Zaken — DG Consulaire Zaken",
        "FPS Foreign Affairs — DG Consular Affairs",
        K.PARTNER_SERVICE, S.OTHER, A.CONSULT, V.CARD,
    ),
    OrganisationSpec(
        "prosecution",
        "Ministère public — Parquet fédéral",
        "Openbaar ministerie — Federaal parket",
        "Public Prosecution — Federal Prosecutor's Office",
        K.PARTNER_SERVICE, S.OTHER, A.CONSULT_FEED, V.FULL,
    ),
    OrganisationSpec(
        "ctif-cfi",
        "Cellule de traitement des informations financières (CTIF)",
        "Cel voor financiële informatieverwerking (CFI)",
        "Financial Intelligence Processing Unit (CTIF-CFI)",
        K.PARTNER_SERVICE, S.OTHER, A.CONSULT_FEED, V.CARD,
    ),
    OrganisationSpec(
        IMMIGRATION_OFFICE,
        "Office des étrangers",
        "Dienst Vreemdelingenzaken",
        "Immigration Office",
        K.PARTNER_SERVICE, S.OTHER, A.CONSULT, V.CARD,
    ),
    OrganisationSpec(
        CUSTOMS,
        "SPF Finances — Administration générale des douanes et accises",
        "FOD Financiën — Algemene Administratie van de Douane en Accijnzen",
        "FPS Finance — Customs and Excise",
        # First-line checks at the border: a hit means "call the body".
        K.PARTNER_SERVICE, S.OTHER, A.HIT_NO_HIT, V.NONE,
    ),
    OrganisationSpec(
        "worship-secularism",
        "SPF Justice — Service des Cultes et de la Laïcité",
        "FOD Justitie — Dienst Erediensten en Vrijzinnigheid",
        "FPS Justice — Service for Worship and Secularism",
        # Recognition of places of worship: only hate propagandists concern it.
        K.PARTNER_SERVICE, S.OTHER, A.CONSULT, V.CARD, (Category.PH,),
    ),
    OrganisationSpec(
        "nsa",
        "Autorité nationale de sécurité (ANS)",
        "Nationale Veiligheidsoverheid (NVO)",
        "National Security Authority (NSA)",
        # Security clearances and screenings: a hit opens an inquiry with the body.
        K.PARTNER_SERVICE, S.OTHER, A.HIT_NO_HIT, V.NONE,
    ),
    OrganisationSpec(
        "treasury",
        "SPF Finances — Trésorerie",
        "FOD Financiën — Thesaurie",
        "FPS Finance — Treasury",
        # Notifies asset freezes (the national list): card is enough to identify the person.
        K.PARTNER_SERVICE, S.OTHER, A.CONSULT, V.CARD,
    ),
    OrganisationSpec(
        "nccn",
        "Centre de crise national (NCCN)",
        "Nationaal Crisiscentrum (NCCN)",
        "National Crisis Centre (NCCN)",
        K.PARTNER_SERVICE, S.OTHER, A.CONSULT, V.CARD,
    ),
    OrganisationSpec(
        "justice-houses",
        "Maisons de justice",
        "Justitiehuizen",
        "Houses of Justice",
        # Follow persons under judicial conditions: convicted or returning fighters.
        K.PARTNER_SERVICE, S.OTHER, A.CONSULT, V.CARD,
        (Category.FTF, Category.HTF, Category.PCT),
    ),
    OrganisationSpec(
        "youth-aid",
        "Services de l'aide à la jeunesse",
        "Diensten jeugdhulp",
        "Youth Aid Agencies",
        K.PARTNER_SERVICE, S.OTHER, A.CONSULT, V.CARD,
        (Category.FTF, Category.HTF, Category.EPV),
    ),
    OrganisationSpec(
        CSIL,
        "Cellule de sécurité intégrale locale (CSIL-R)",
        "Lokale integrale veiligheidscel (LIVC-R)",
        "Local Integral Security Cell (CSIL-R/LIVC-R)",
        # Socio-preventive side, per municipality: the card only, for its own municipality.
        K.LOCAL_PARTNER, S.OTHER, A.CONSULT, V.CARD,
    ),
    # --- Oversight bodies: no record access; they search their part of the journal.
    OrganisationSpec(
        COMITE_P,
        "Comité permanent de contrôle des services de police (Comité P)",
        "Vast Comité van Toezicht op de politiediensten (Comité P)",
        "Standing Police Monitoring Committee (Committee P)",
        K.OVERSIGHT_BODY, S.OTHER, A.NONE, V.NONE, (), OversightScope.POLICE,
    ),
    OrganisationSpec(
        COMITE_R,
        "Comité permanent de contrôle des services de renseignement (Comité R)",
        "Vast Comité van Toezicht op de inlichtingendiensten (Comité I)",
        "Standing Intelligence Agencies Review Committee (Committee I)",
        K.OVERSIGHT_BODY, S.OTHER, A.NONE, V.NONE, (), OversightScope.INTELLIGENCE,
    ),
    OrganisationSpec(
        COC,
        "Organe de contrôle de l'information policière (COC)",
        "Controleorgaan op de politionele informatie (COC)",
        "Supervisory Body for Police Information (COC)",
        K.OVERSIGHT_BODY, S.OTHER, A.NONE, V.NONE, (), OversightScope.DATABASE,
    ),
    # --- Authorities: receive advice and assessments outside the database.
    OrganisationSpec(
        "minister-interior",
        "Ministre de l'Intérieur",
        "Minister van Binnenlandse Zaken",
        "Minister of the Interior",
        K.AUTHORITY, S.OTHER, A.NONE, V.NONE,
    ),
    OrganisationSpec(
        "minister-foreign-affairs",
        "Ministre des Affaires étrangères",
        "Minister van Buitenlandse Zaken",
        "Minister of Foreign Affairs",
        K.AUTHORITY, S.OTHER, A.NONE, V.NONE,
    ),
    OrganisationSpec(
        "minister-justice",
        "Ministre de la Justice",
        "Minister van Justitie",
        "Minister of Justice",
        K.AUTHORITY, S.OTHER, A.NONE, V.NONE,
    ),
    OrganisationSpec(
        "national-security-council",
        "Conseil national de sécurité",
        "Nationale Veiligheidsraad",
        "National Security Council",
        K.AUTHORITY, S.OTHER, A.NONE, V.NONE,
    ),
    # --- Foreign partners (fictitious): exchange through TLP-marked exports, no direct access.
    OrganisationSpec(
        "foreign-ruritania-ctc",
        "Centre antiterroriste de Ruritanie (fictif)",
        "Antiterrorismecentrum van Ruritanië (fictief)",
        "Ruritania Counter-Terrorism Centre (fictitious)",
        K.FOREIGN_PARTNER, S.OTHER, A.NONE, V.NONE,
    ),
    OrganisationSpec(
        "foreign-borduria-sis",
        "Service de sécurité intérieure de Bordurie (fictif)",
        "Binnenlandse veiligheidsdienst van Bordurië (fictief)",
        "Borduria Internal Security Service (fictitious)",
        K.FOREIGN_PARTNER, S.OTHER, A.NONE, V.NONE,
    ),
)
# fmt: on


@transaction.atomic
def load_organisations(*, update_profiles: bool = True) -> int:
    """Create the reference organisations; refresh names and (by default) profiles of existing
    codes. Idempotent: a second call writes nothing. Returns how many rows were created or
    changed.

    `update_profiles=False` keeps the operator's profile of an existing code untouched.
    Organisations the operator added (other codes) are never touched.
    """
    existing = {
        o.code: o
        for o in Organisation.objects.filter(
            code__in=[spec.code for spec in REFERENCE_ORGANISATIONS]
        )
    }
    changed = 0
    for spec in REFERENCE_ORGANISATIONS:
        wanted = spec.names() | (spec.profile() if update_profiles else {})
        org = existing.get(spec.code)
        if org is None:
            org = Organisation(code=spec.code, **spec.names(), **spec.profile())
            org.full_clean()
            org.save(force_insert=True)
            changed += 1
            continue
        diff = {k: v for k, v in wanted.items() if getattr(org, k) != v}
        if diff:
            for key, value in diff.items():
                setattr(org, key, value)
            org.full_clean()
            org.save(update_fields=list(diff))
            changed += 1
    return changed

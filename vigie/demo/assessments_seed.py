"""Demo assessments (VIGIE_DEMO=1 only): a fictitious Christmas market, a threatened fictitious
official, a person of the common database, the general level (Brussels differing), a strategic
analysis and two critical infrastructures — all made through the services, as the demo's
analyst, validator and partner would, so the journal tells the same story as the screens.

Idempotent: once any assessment exists, nothing is added.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from vigie.assessments import services
from vigie.assessments.models import ThreatAssessment
from vigie.core import organisations as orgs
from vigie.core.choices import Classification
from vigie.core.models import User
from vigie.registry import selectors as registry_selectors
from vigie.registry.choices import EntryStatus

FICTIVILLE, ANTWERP, GHENT = "21004", "11002", "44021"


def _approve(analyst: User, validator: User, assessment):  # type: ignore[no-untyped-def]
    assessment = services.assessment_submit(
        actor=analyst, assessment=assessment, version=assessment.version
    )
    return services.assessment_approve(
        actor=validator, assessment=assessment, version=assessment.version
    )


def _deliver(analyst: User, obj):  # type: ignore[no-untyped-def]
    return services.assessment_deliver(actor=analyst, assessment=obj, version=obj.version)


def _christmas_market_dates(today: date) -> tuple[date, date]:
    """The coming Christmas market (late November to early January), never already started."""
    year = today.year if today < date(today.year, 11, 26) else today.year + 1
    return date(year, 11, 28), date(year + 1, 1, 4)


def seed_demo_assessments() -> dict[str, int]:
    """Create the demo's assessments, analysis and infrastructure once; return what was made."""
    if ThreatAssessment.objects.exists():
        return {}
    users = {u.username: u for u in User.objects.filter(username__in=["analyst", "validator",
                                                                      "feeder"])}  # fmt: skip
    if len(users) < 3:
        return {}
    analyst, validator, feeder = users["analyst"], users["validator"], users["feeder"]
    today = timezone.localdate()
    made = {"assessments": 0, "intake": 0, "analyses": 0, "infrastructures": 0}

    # The critical infrastructure the Crisis Centre designated (fictitious).
    power = services.infrastructure_create(
        actor=analyst,
        data=services.InfrastructureInput(
            name="Fictiville power station",
            sector="energy",
            operator="Fictive Energy SA",
            municipality=ANTWERP,
            designation_reference="NCCN/CI/2021/012",
            designation_date=date(2021, 6, 1),
            scope="national",
        ),
    )
    port = services.infrastructure_create(
        actor=analyst,
        data=services.InfrastructureInput(
            name="Port of Fictiville container terminal",
            sector="transport",
            operator="Fictiport NV",
            municipality=GHENT,
            designation_reference="NCCN/ECI/2019/003",
            designation_date=date(2019, 11, 15),
            scope="european",
        ),
    )
    made["infrastructures"] = 2

    # 1. A partner asks for the Christmas market's assessment; delivered, not yet acknowledged.
    start, end = _christmas_market_dates(today)
    request = services.intake_submit(
        actor=feeder,
        data=services.IntakeInput(
            kind="request",
            urgency="routine",
            subject_kind="event",
            summary="Please assess the Christmas market: 40 chalets, an ice rink, a parade.",
            event=services.EventInput(
                name="Christmas market of Fictiville",
                kind="market",
                start_date=start,
                end_date=end,
                municipality=FICTIVILLE,
                venue="Place Fictive and the surrounding streets",
                expected_attendance=250_000,
                organiser="City of Fictiville, events department",
                description="Yearly market (fictitious).",
            ),
        ),
    )
    market = services.assessment_create(
        actor=analyst,
        data=services.AssessmentInput(
            kind="event",
            intake_id=request.id,
            event_id=request.event_id,
            ratings={"known_threats": 1, "target_attractiveness": 3, "context_triggers": 2,
                     "general_level": 2},
            level=3,
            rationale="No specific threat is known; crowded markets remain an attractive target "
            "for lone actors, and the general level is raised in Brussels.",
            classification=Classification.RESTREINT,
            restricted_diffusion=True,
            distribution=[orgs.LOCAL_POLICE],
        ),
    )  # fmt: skip
    _deliver(analyst, _approve(analyst, validator, market))

    # 2. A threatened fictitious official: approved, its review date within the week.
    official = services.intake_submit(
        actor=feeder,
        data=services.IntakeInput(
            kind="request",
            urgency="urgent",
            subject_kind="threatened_person",
            threatened_person="Mayor of Fictiville (Ms Anne Exemple)",
            summary="Threatening messages after a council vote on a mosque's permit.",
        ),
    )
    mayor = services.assessment_create(
        actor=analyst,
        data=services.AssessmentInput(
            kind="threatened_person",
            intake_id=official.id,
            threatened_person=official.threatened_person,
            ratings={"known_threats": 2, "target_attractiveness": 2, "context_triggers": 2,
                     "general_level": 2},
            level=3,
            rationale="Several explicit messages; one author identified. Review after the "
            "council's next session.",
            classification=Classification.CONFIDENTIEL,
            review_date=today + timedelta(days=5),
        ),
    )  # fmt: skip
    _deliver(analyst, _approve(analyst, validator, mayor))

    # 3. A person of the common database (when persons were seeded): approved, its level set.
    entity = (
        registry_selectors.visible_entities(analyst)
        .filter(kind="person", status=EntryStatus.VALIDATED)
        .order_by("reference")
        .first()
    )
    source = None
    if entity is not None:
        source = services.assessment_create(
            actor=analyst,
            data=services.AssessmentInput(
                kind="threat_source",
                entity_id=entity.id,
                ratings={"intent": 2, "capability": 2, "history": 1, "psychological_problems": 0},
                level=3,
                rationale="Expressed intent online, access to weapons unclear; one earlier "
                "conviction.",
                classification=Classification.CONFIDENTIEL,
                language="nl",
                review_date=today + timedelta(days=180),
            ),
        )  # fmt: skip
        source = _approve(analyst, validator, source)

    # 4. The general level: 3 for the country, 4 for the Brussels-Capital Region.
    general = services.assessment_create(
        actor=analyst,
        data=services.AssessmentInput(
            kind="general",
            ratings={"reports": 2, "open_cases": 2, "trigger_events": 1},
            level=3,
            area_levels={"04000": 4},
            rationale="Reports and open cases remain numerous; a recent attack abroad and calls "
            "to imitate it target Brussels in particular.",
            classification=Classification.RESTREINT,
            review_date=today + timedelta(days=90),
            distribution=[orgs.FEDERAL_POLICE, orgs.IMMIGRATION_OFFICE, "nccn"],
        ),
    )
    _deliver(analyst, _approve(analyst, validator, general))
    made["assessments"] = 4 if source is not None else 3

    # A draft waiting on the board: an information report, flash.
    services.intake_submit(
        actor=feeder,
        data=services.IntakeInput(
            kind="report",
            urgency="flash",
            summary="A fictitious informant reports talk of a protest turning violent at the "
            "Christmas market's opening.",
            event_id=request.event_id,
        ),
    )
    made["intake"] = 3

    # A strategic analysis linked to the infrastructure and the general level.
    analysis = services.analysis_create(
        actor=analyst,
        data=services.AnalysisInput(
            title="Far-right mobilisation online and critical infrastructure",
            topic="far-right",
            period_start=today - timedelta(days=180),
            period_end=today,
            text="Online groups discuss the energy and port sectors as symbols; no operational "
            "planning was observed (fictitious).",
            classification=Classification.RESTREINT,
            assessment_ids=[general.id],
            infrastructure_ids=[power.id, port.id],
            distribution=[orgs.FEDERAL_POLICE, "nccn"],
        ),
    )
    analysis = services.analysis_submit(actor=analyst, analysis=analysis, version=analysis.version)
    analysis = services.analysis_approve(
        actor=validator, analysis=analysis, version=analysis.version
    )
    services.analysis_deliver(actor=analyst, analysis=analysis, version=analysis.version)
    made["analyses"] = 1
    return made

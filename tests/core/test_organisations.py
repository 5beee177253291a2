"""Reference organisations: present after migrate, with their profiles; loading is idempotent."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import OrganisationFactory
from vigie.core import organisations as orgs
from vigie.core.choices import AccessType, OrganisationKind, OversightScope, RecordView, Sector
from vigie.core.models import Organisation
from vigie.core.signals import load_reference_data

pytestmark = pytest.mark.django_db

CODES = [spec.code for spec in orgs.REFERENCE_ORGANISATIONS]


def test_codes_are_unique_and_named_in_three_languages():
    assert len(CODES) == len(set(CODES))
    for spec in orgs.REFERENCE_ORGANISATIONS:
        assert spec.name_fr and spec.name_nl and spec.name_en, spec.code


def test_every_reference_organisation_exists_after_migrate():
    assert set(Organisation.objects.filter(code__in=CODES).values_list("code", flat=True)) == set(
        CODES
    )


def test_profiles_match_the_table_after_migrate():
    for spec in orgs.REFERENCE_ORGANISATIONS:
        org = Organisation.objects.get(code=spec.code)
        for field, value in spec.profile().items():
            assert getattr(org, field) == value, (spec.code, field)
        org.full_clean()


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            orgs.OCAM,
            {
                "kind": OrganisationKind.COORDINATION_BODY,
                "sector": Sector.COORDINATION,
                "access_type": AccessType.CONSULT_FEED,
                "record_view": RecordView.FULL,
                "categories": [],
            },
        ),
        (orgs.FEDERAL_POLICE, {"sector": Sector.POLICE, "access_type": AccessType.CONSULT_FEED}),
        (orgs.LOCAL_POLICE, {"sector": Sector.POLICE, "territory_municipality": None}),
        ("vsse", {"sector": Sector.INTELLIGENCE, "record_view": RecordView.FULL}),
        ("sgrs", {"sector": Sector.INTELLIGENCE, "access_type": AccessType.CONSULT_FEED}),
        (orgs.CUSTOMS, {"access_type": AccessType.HIT_NO_HIT, "record_view": RecordView.NONE}),
        (orgs.PIU, {"access_type": AccessType.HIT_NO_HIT}),
        (orgs.IMMIGRATION_OFFICE, {"access_type": AccessType.CONSULT, "record_view": "card"}),
        (orgs.CSIL, {"kind": OrganisationKind.LOCAL_PARTNER, "record_view": RecordView.CARD}),
        ("worship-secularism", {"categories": ["PH"]}),
        (orgs.COC, {"kind": OrganisationKind.OVERSIGHT_BODY, "oversight_scope": "database"}),
        (orgs.COMITE_P, {"oversight_scope": OversightScope.POLICE, "sector": Sector.OTHER}),
        (orgs.COMITE_R, {"oversight_scope": OversightScope.INTELLIGENCE}),
        ("minister-interior", {"kind": OrganisationKind.AUTHORITY, "access_type": "none"}),
        ("national-security-council", {"record_view": RecordView.NONE}),
    ],
)
def test_selected_profiles(code, expected):
    org = Organisation.objects.get(code=code)
    for field, value in expected.items():
        assert getattr(org, field) == value, field


def test_only_the_body_is_a_coordination_body_and_foreign_partners_exist():
    assert list(
        Organisation.objects.filter(kind=OrganisationKind.COORDINATION_BODY).values_list(
            "code", flat=True
        )
    ) == [orgs.OCAM]
    assert Organisation.objects.filter(kind=OrganisationKind.FOREIGN_PARTNER).count() >= 1


def test_load_is_idempotent():
    assert orgs.load_organisations() == 0
    count = Organisation.objects.count()
    assert orgs.load_organisations() == 0
    assert Organisation.objects.count() == count


def test_load_recreates_a_missing_organisation():
    Organisation.objects.filter(code="treasury").delete()
    assert orgs.load_organisations() == 1
    assert Organisation.objects.get(code="treasury").access_type == AccessType.CONSULT


def test_load_updates_the_profile_of_an_existing_code():
    Organisation.objects.filter(code=orgs.CUSTOMS).update(
        access_type=AccessType.CONSULT_FEED, record_view=RecordView.FULL, name_en="Old name"
    )
    assert orgs.load_organisations() == 1
    customs = Organisation.objects.get(code=orgs.CUSTOMS)
    assert customs.access_type == AccessType.HIT_NO_HIT
    assert customs.record_view == RecordView.NONE
    assert customs.name_en == "FPS Finance — Customs and Excise"


def test_migrate_keeps_the_operators_profile_but_refreshes_names():
    # The post_migrate handler must not undo a profile the operator narrowed.
    Organisation.objects.filter(code=orgs.IMMIGRATION_OFFICE).update(
        access_type=AccessType.HIT_NO_HIT, categories=["FTF"], name_nl="Oud"
    )
    load_reference_data(sender=None)
    office = Organisation.objects.get(code=orgs.IMMIGRATION_OFFICE)
    assert office.access_type == AccessType.HIT_NO_HIT
    assert office.categories == ["FTF"]
    assert office.name_nl == "Dienst Vreemdelingenzaken"


def test_seed_reset_profiles_puts_the_table_back():
    Organisation.objects.filter(code=orgs.IMMIGRATION_OFFICE).update(categories=["FTF"])
    call_command("seed", stdout=StringIO())
    assert Organisation.objects.get(code=orgs.IMMIGRATION_OFFICE).categories == ["FTF"]
    call_command("seed", "--reset-profiles", stdout=StringIO())
    assert Organisation.objects.get(code=orgs.IMMIGRATION_OFFICE).categories == []


def test_organisations_the_operator_added_are_left_alone():
    own = OrganisationFactory(code="regional-unit", access_type=AccessType.CONSULT)
    orgs.load_organisations()
    own.refresh_from_db()
    assert own.access_type == AccessType.CONSULT
    assert own.name_fr == "Service regional-unit"


def test_docs_table_matches_the_code():
    # docs/organisations.md is what operators read: it must not drift from the data.
    doc = (Path(__file__).resolve().parents[2] / "docs" / "organisations.md").read_text()
    rows = {
        cells[0].strip("`"): cells
        for line in doc.splitlines()
        if line.startswith("| `")
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    assert set(rows) == set(CODES)
    for spec in orgs.REFERENCE_ORGANISATIONS:
        code, fr, nl, en, kind, sector, access, view, cats, scope = rows[spec.code]
        assert (fr, nl, en) == (spec.name_fr, spec.name_nl, spec.name_en)
        assert (kind, sector, access, view) == (
            spec.kind,
            spec.sector,
            spec.access_type,
            spec.record_view,
        )
        if spec.access_type != AccessType.NONE:
            assert cats == (", ".join(spec.categories) or "all")
        assert scope == (spec.oversight_scope or "—")

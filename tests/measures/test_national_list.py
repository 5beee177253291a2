"""The national list: entries from freezes in force, the CSV byte for byte, XLSX, FtM,
publications and their differences, screening."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from vigie.measures import national_list, selectors, services
from vigie.measures.models import Publication

from .conftest import grant, listed, open_case, sent_advice

FIXTURE = Path(__file__).parent / "fixtures" / "national_list.csv"


def _entry(**values):
    base = {
        "key": "P-2026-000001",
        "type": "P",
        "names": ["Nadia Fictivi"],
        "lastname": "",
        "firstname": "",
        "middlename": "",
        "gender": "",
        "birth_date": "",
        "birth_place": "",
        "birth_country": "",
        "numbers": [],
        "nationalities": ["BE"],
        "function": "",
        "remark": "",
        "links": [],
        "publication_date": "2026-03-05",
        "embargos": "BE",
        "regulation": "AR/KB 2026-03-05",
    }
    return base | values


ENTRIES = [
    _entry(
        names=["Nadia Fictivi", "Umm Fictiva"],
        lastname="Fictivi",
        firstname="Nadia",
        middlename="Marie",
        gender="F",
        birth_date="1991-04-12",
        birth_place="Fictiville",
        numbers=["BE9876543", "EM123456"],
        remark="MC-2026-0003",
        links=["O-2026-000002"],
        regulation="AR/KB 5 mars 2026; art. 3",
    ),
    _entry(
        key="O-2026-000002",
        type="E",
        names=["Fictive Brotherhood"],
        remark="MC-2026-0004",
        links=["P-2026-000001"],
    ),
    _entry(
        key="P-2026-000003",
        names=['Karim "Le Fictif" Testaoui'],
        lastname="Testaoui",
        firstname="Karim",
        gender="M",
        birth_date="1984-03",
        remark="MC-2026-0005",
    ),
]


def test_csv_matches_the_fixture_byte_for_byte():
    content = national_list.to_csv(ENTRIES)
    assert content == FIXTURE.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in content and b'"Nadia Fictivi\nUmm Fictiva"' in content


def test_layout_is_in_one_place():
    assert national_list.CSV_HEADERS == (
        "type",
        "Wholename",
        "Lastname",
        "Firstname",
        "Middlename",
        "Gender",
        "Birth date",
        "Birth place",
        "Birth country",
        "Number",
        "Function",
        "Remark",
        "Links",
        "Publication date",
        "Embargos",
        "Regulation",
    )
    assert national_list.short_date("2026-03-05") == "05-03-26"
    assert national_list.short_date("1984") == "00-00-84"


def test_xlsx_has_the_same_columns_and_rows():
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(national_list.to_xlsx(ENTRIES))).active
    values = [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert tuple(values[0]) == national_list.CSV_HEADERS
    assert values[1:] == national_list.rows(ENTRIES)


def test_ftm_export_is_valid_followthemoney():
    lines = national_list.to_ftm(ENTRIES).decode().splitlines()
    entities = [json.loads(line) for line in lines]
    assert [e["schema"] for e in entities] == [
        "Person",
        "Sanction",
        "Organization",
        "Sanction",
        "Person",
        "Sanction",
    ]
    assert entities[1]["properties"]["entity"] == [entities[0]["id"]]
    national_list.validate_ftm(entities)
    broken = [dict(entities[0], properties={"birthDate": ["not a date"], "name": ["X"]})]
    with pytest.raises(ValueError, match="birthDate"):
        national_list.validate_ftm(broken)
    with pytest.raises(ValueError, match="required"):
        national_list.validate_ftm([{"id": "s", "schema": "Sanction", "properties": {}}])
    with pytest.raises(ValueError, match="outside"):
        national_list.validate_ftm(
            [{"id": "s", "schema": "Sanction", "properties": {"entity": ["nobody"]}}]
        )


def test_diff_added_removed_changed():
    old = ENTRIES[:2]
    new = [ENTRIES[0] | {"birth_place": "Testville"}, ENTRIES[2]]
    changes = national_list.diff(old, new)
    assert [a["key"] for a in changes["added"]] == ["P-2026-000003"]
    assert [r["key"] for r in changes["removed"]] == ["O-2026-000002"]
    assert changes["changed"][0]["fields"] == {
        "birth_place": {"before": "Fictiville", "after": "Testville"}
    }


# --- From the database ---------------------------------------------------------------------------


def _freeze(analyst, validator, entity, published=True):
    case = open_case(analyst, entity, "asset_freeze", consult=[])
    sent_advice(analyst, validator, case)
    grant(analyst, case, published_on=timezone.localdate() if published else None)
    case.refresh_from_db()
    return case


@pytest.mark.django_db
def test_entries_publications_and_diff(analyst, validator, person):
    other = listed(
        analyst,
        validator,
        "Karim Testaoui",
        given="Karim",
        surname="Testaoui",
        document="EM123456",
        aliases=["Abu Karim"],
    )
    assert selectors.national_list_entries(actor=analyst) == []
    case = _freeze(analyst, validator, person)
    first, new = services.publication_create(actor=analyst)
    assert new and first.count == 1 and first.previous is None
    [entry] = first.entries
    assert entry["key"] == person.reference and entry["remark"] == case.reference
    assert entry["embargos"] == "BE" and entry["regulation"] == "MI/2026/0042"
    again, new = services.publication_create(actor=analyst)
    assert not new and again.pk == first.pk
    _freeze(analyst, validator, other)
    second, new = services.publication_create(actor=analyst)
    assert second.previous == first
    changes = selectors.publication_diff(second)
    assert [a["key"] for a in changes["added"]] == [other.reference]
    row = [e for e in second.entries if e["key"] == other.reference][0]
    assert row["names"] == ["Karim Testaoui", "Abu Karim"] and row["numbers"] == ["EM123456"]
    csv = services.publication_export(actor=analyst, publication=second, fmt="csv")
    assert csv.decode("utf-8-sig").count("\r\n") == 3


@pytest.mark.django_db
def test_screening_against_database_and_file(analyst, validator, person, tmp_path):
    listed(analyst, validator, "Nadia Fictivy", given="Nadia", surname="Fictivy")
    _freeze(analyst, validator, person)
    hits = services.national_list_screen(actor=analyst)
    assert [(h["list_entry"], h["record_name"]) for h in hits] == [
        (person.reference, "Nadia Fictivy")
    ]
    file = tmp_path / "clients.csv"
    file.write_text("name;birth_date\nNadia FICTIVI;1991-04-12\nJan Peeters;1970\n")
    records = services.records_from_file(file.read_bytes())
    hits = services.national_list_screen(actor=analyst, against=records)
    assert [h["record"] for h in hits] == ["row1"]


@pytest.mark.django_db
def test_cli_export_and_screen(analyst, validator, person, tmp_path, capsys):
    _freeze(analyst, validator, person)
    out = tmp_path / "list.csv"
    call_command("national_list", "export", "--format", "csv", "--output", str(out))
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and Publication.objects.count() == 1
    for fmt in ("xlsx", "ftm"):
        call_command("national_list", "export", "--format", fmt, "--output", str(out))
    assert out.read_text().startswith("{")
    call_command("national_list", "screen")
    file = tmp_path / "in.csv"
    file.write_text("nom\nx\n")
    with pytest.raises(CommandError):
        call_command("national_list", "screen", "--against", str(file))
    with pytest.raises(CommandError):
        call_command("national_list", "export", "--format", "pdf")
    call_command("national_list", "diff")
    assert "added" in capsys.readouterr().out

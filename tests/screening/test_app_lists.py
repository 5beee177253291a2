"""Bad input: each problem gets a clear message (which row, what is wrong); nothing
half-written; big files are streamed and capped."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError

from vigie.screening import lists, services
from vigie.screening.models import ScreeningJob, ScreeningQuery

pytestmark = pytest.mark.django_db


def rows(data: bytes, filename: str = "list.csv", **options):
    reader = lists.read_list(io.BytesIO(data), filename, **options)
    return list(reader.rows()), reader


def test_bad_rows_are_reported_with_their_line_and_skipped():
    data = (
        "name,birth_date,nationality\n"
        "Good Name,1990-01-01,BE\n"
        ",1990,\n"
        "A,,\n"
        f"{'a' * 100_000},,\n"
        "Bell\x07 Name,,\n"
        "Date Wrong,31-12-1990,\n"
        "Land Wrong,,Belgium\n"
        "\n"
        "Last Good,,\n"
    ).encode()
    found, _reader = rows(data)
    bad = {r.line: r.error for r in found if r.query is None}
    assert [r.line for r in found if r.query] == [2, 10]
    assert bad[3].startswith("name:") and bad[4].startswith("name:")
    assert "longer than 500" in bad[5]
    assert "control character U+0007" in bad[6]
    assert bad[7].startswith("birth_date:") and bad[8].startswith("nationality:")


def test_utf8_with_bom_and_cp1252_with_a_warning():
    found, reader = rows("\ufeffname\nJosé Müller\n".encode())
    assert found[0].query["name"] == "José Müller" and not reader.warnings
    found, reader = rows("name\nJosé Müller\n".encode("cp1252"))
    assert found[0].query["name"] == "José Müller"
    assert "Windows-1252" in reader.warnings[0]


def test_aliases_identifiers_and_mapping():
    data = b"Nom;Alias;Doc\nKarim Testa;Abu Karim | K. Testa;AB 123456\n"
    [row], _ = rows(data, mapping={"name": "Nom", "aliases": "Alias", "identifiers": "Doc"})
    assert row.query["aliases"] == ["Abu Karim", "K. Testa"]
    assert row.query["identifiers"] == ["AB 123456"]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "list.csv", "empty"),
        (b"nom,date\nA B,1990\n", "list.csv", "no 'name' column"),
        (b"name,date\nA B,1990\n", "list.xlsx", "not an XLSX"),
        (b"PK\x03\x04broken", "list.xlsx", "not a readable XLSX"),
        (b"\x00\x01\x02name\n", "list.csv", "binary"),
    ],
)
def test_unreadable_files_raise_a_clear_error(data, filename, message):
    with pytest.raises(lists.ListError, match=message):
        rows(data, filename)


def test_xlsx_is_read():
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["id", "name", "birth_date"])
    sheet.append([7, "Youssef Ezzayani", "1984-03-02"])
    buffer = io.BytesIO()
    book.save(buffer)
    [row], _ = rows(buffer.getvalue(), "list.xlsx")
    assert row.query == {"id": "7", "name": "Youssef Ezzayani", "birth_date": "1984-03-02"}


def test_a_list_over_the_cap_leaves_nothing_behind(settings, validator):
    settings.SCREENING_JOB_MAX_ROWS = 1000
    # Streamed: the reader stops at the first row past the cap (a 2-million-row list behaves
    # the same, only the file is bigger).
    data = io.BytesIO(b"name\n" + b"Some Name\n" * 5000)
    with pytest.raises(ValidationError) as error:
        services.job_create(actor=validator, data=data, filename="big.csv")
    assert "more than 1,000 rows" in str(error.value)
    assert not ScreeningJob.objects.exists() and not ScreeningQuery.objects.exists()


def test_a_list_of_only_bad_rows_is_refused_with_the_first_reason(validator):
    with pytest.raises(ValidationError, match="line 2"):
        services.job_create(actor=validator, data=io.BytesIO(b"name\nX\n"), filename="l.csv")
    assert not ScreeningJob.objects.exists()


def test_reader_streams_without_loading_the_file():
    # 200,000 rows read lazily: only the first few are materialised here.
    data = io.BytesIO(b"name\n" + b"Some Name\n" * 200_000)
    reader = lists.read_list(data, "big.csv")
    iterator = reader.rows()
    first = [next(iterator) for _ in range(3)]
    assert [r.line for r in first] == [2, 3, 4]

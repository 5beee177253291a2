"""`vigie screen`: against the database, against another list, duplicates."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.screening.conftest import listed
from vigie.audit.models import AuditEvent


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("screen", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_watchlist_mode_needs_no_database(tmp_path):
    watch = tmp_path / "watch.csv"
    watch.write_text("id,name,birth_date\nW1,Youssef Abdelkader Ezzayani,1984-03-02\nW2,X,\n")
    source = tmp_path / "in.csv"
    source.write_text(
        "id,name\nQ1,يوسف عبد القادر الزياني\nQ2,,\nQ3,Anne Other\n", encoding="utf-8"
    )
    hits = tmp_path / "hits.csv"
    _out, err = run("--input", str(source), "--watchlist", str(watch), "--output", str(hits))
    rows = hits.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("line,query_id,query_name,record_id")
    assert len(rows) == 2 and ",Q1," in rows[1] and ",W1," in rows[1]
    assert "watch.csv: line 3: name:" in err and "line 3: name:" in err
    assert "2 names screened against 1 records: 1 with a hit" in err


def test_missing_file_and_missing_column_are_one_line_errors(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run("--input", str(tmp_path / "none.csv"), "--watchlist", str(tmp_path / "none.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_text("nom\nA B\n")
    with pytest.raises(CommandError, match="no 'name' column"):
        run("--input", str(bad), "--watchlist", str(bad))


@pytest.mark.django_db
def test_database_mode_as_a_user(tmp_path, validator, youssef):
    source = tmp_path / "in.csv"
    source.write_text("id,name\nQ1,Abou Hafs\nQ2,X\nQ3,Anne Other\n")
    out, err = run("--input", str(source), "--as", validator.username, "--purpose", "Check")
    lines = out.splitlines()
    assert lines[0].startswith("line,query_id,query_name,record_id,reference")
    assert len(lines) == 2 and str(youssef.id) in lines[1]
    assert "line 3: name:" in err and "2 names screened, 1 with a hit, 1 rows skipped" in err
    event = AuditEvent.objects.get(action="screening.run")
    assert event.purpose == "Check" and event.request_id.startswith("cli-")


@pytest.mark.django_db
def test_database_mode_for_hit_no_hit_profile(tmp_path, hit_user, youssef):
    source = tmp_path / "in.csv"
    source.write_text("name\nAbou Hafs\n")
    out, _err = run("--input", str(source), "--as", hit_user.username)
    assert out.splitlines()[0] == "line,query_id,query_name,listed,contact"
    assert str(youssef.id) not in out


@pytest.mark.django_db
def test_duplicates(validator, youssef):
    twin = listed(validator, "Youssef Ezzayani", birth_date="1984-03-02")
    out, err = run("--duplicates", "--as", validator.username)
    lines = out.splitlines()
    assert len(lines) == 2 and str(youssef.id) in lines[1] and str(twin.id) in lines[1]
    assert "1 likely duplicate pairs" in err
    assert AuditEvent.objects.filter(action="screening.duplicates").exists()


@pytest.mark.django_db
def test_duplicates_need_a_reader(hit_user):
    with pytest.raises(CommandError, match="may not see"):
        run("--duplicates", "--as", hit_user.username)

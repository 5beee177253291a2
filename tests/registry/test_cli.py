"""`vigie persons`: each subcommand for an allowed user and refused for a disallowed one."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory
from vigie.audit.models import AuditEvent
from vigie.core.choices import AccessType, OrganisationKind, RecordView, Role
from vigie.registry import services
from vigie.registry.choices import EntryStatus
from vigie.registry.management.commands.persons import Command
from vigie.registry.models import Entity
from vigie.registry.services import AddressInput, EntityInput, MembershipInput, NameInput

pytestmark = pytest.mark.django_db

BRUSSELS = "21004"
GHENT = "44021"
PROPOSAL = {
    "kind": "person",
    "names": [{"full_name": "Yassin Testouri"}, {"full_name": "Abu Testa", "name_type": "kunya"}],
    "birth_date": "1993-07",
    "nationalities": ["BE"],
    "addresses": [{"municipality": BRUSSELS}],
    "contribution": "Seen at a gathering.",
    "reliability": "B",
    "credibility": "2",
}


# --- Fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def body():
    return OrganisationFactory(
        kind=OrganisationKind.COORDINATION_BODY,
        access_type=AccessType.CONSULT_FEED,
        record_view=RecordView.FULL,
    )


@pytest.fixture
def analyst(body):
    return UserFactory(organisation=body, role=Role.ANALYST)


@pytest.fixture
def validator(body):
    return UserFactory(organisation=body, role=Role.VALIDATOR)


@pytest.fixture
def second_validator(body):
    return UserFactory(organisation=body, role=Role.VALIDATOR)


@pytest.fixture
def feeder():
    org = OrganisationFactory(access_type=AccessType.CONSULT_FEED, record_view=RecordView.FULL)
    return UserFactory(organisation=org, role=Role.PARTNER_OFFICER)


@pytest.fixture
def reader():
    org = OrganisationFactory(access_type=AccessType.CONSULT, record_view=RecordView.CARD)
    return UserFactory(organisation=org, role=Role.PARTNER_OFFICER)


@pytest.fixture
def hitcheck():
    org = OrganisationFactory(access_type=AccessType.HIT_NO_HIT, record_view=RecordView.NONE)
    return UserFactory(organisation=org, role=Role.PARTNER_OFFICER)


@pytest.fixture
def proposal(feeder):
    return services.entity_propose(
        actor=feeder,
        data=EntityInput(
            kind="person",
            names=[NameInput(full_name="Karim Testaoui")],
            birth_date="1990-04-12",
            addresses=[AddressInput(municipality=BRUSSELS)],
        ),
    )


@pytest.fixture
def listed(proposal, validator):
    return services.entity_validate(
        actor=validator,
        entity=proposal,
        memberships=[MembershipInput(category="FTF", sub_status="ftf_returned")],
        threat_level=3,
    )


def run(*args: str, stdin: str | None = None) -> str:
    out = io.StringIO()
    extra = {"stdin": io.StringIO(stdin)} if stdin is not None else {}
    call_command("persons", *args, stdout=out, **extra)
    return out.getvalue()


def refused(*args: str, match: str) -> str:
    with pytest.raises(CommandError, match=match) as exc:
        run(*args)
    assert "\n" not in str(exc.value)
    return str(exc.value)


def events(action: str, **kw) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **kw).order_by("seq"))


# --- The acting user ---------------------------------------------------------------------------


def test_unknown_user_is_one_line(listed):
    refused("list", "--as", "ghost", match="^unknown user 'ghost'$")


def test_inactive_user_is_refused(listed, reader):
    reader.is_active = False
    reader.save()
    refused("list", "--as", reader.username, match="is not active")


def test_as_is_required():
    with pytest.raises(CommandError, match="--as"):
        run("list")


def test_shell_gets_one_line_on_stderr_and_exit_1():
    out, err = io.StringIO(), io.StringIO()
    command = Command(stdout=out, stderr=err)
    options = command.create_parser("vigie", "persons").parse_args(
        ["--skip-checks", "show", "P-2026-000001", "--as", "ghost"]
    )
    command._called_from_command_line = True
    with pytest.raises(SystemExit) as exc:
        command.execute(**vars(options))
    assert exc.value.code == 1
    assert err.getvalue() == "vigie: unknown user 'ghost'\n"


# --- list ----------------------------------------------------------------------------------------


def test_list_table_for_the_body_journals_one_event(listed, analyst):
    before = AuditEvent.objects.count()
    output = run("list", "--as", analyst.username)
    assert AuditEvent.objects.count() == before + 1
    (event,) = events("entity.list")
    assert event.actor_username == analyst.username and event.outcome == "done"
    assert event.request_id.startswith("cli-")
    assert event.detail["ids"] == [str(listed.id)]
    lines = output.splitlines()
    assert lines[0].split() == ["REFERENCE", "NAME", "CATEGORIES", "LEVEL", "VIEW"]
    assert listed.reference in lines[1] and "FTF/ftf_returned" in lines[1]
    assert lines[1].split()[-2:] == ["3", "full"]
    assert lines[-1] == "1 of 1"


def test_list_json_parses_and_reader_sees_cards(listed, reader):
    data = json.loads(run("list", "--as", reader.username, "--format", "json"))
    assert data["count"] == 1
    (row,) = data["items"]
    assert row["reference"] == listed.reference and row["id"] == str(listed.id)
    assert row["view"] == "card" and row["threat_level"]["value"] == 3


def test_list_csv_and_filters(listed, analyst):
    rows = list(csv.reader(io.StringIO(run("list", "--as", analyst.username, "--format", "csv"))))
    assert rows[0] == ["id", "reference", "name", "categories", "level", "view"]
    assert rows[1][:2] == [str(listed.id), listed.reference]
    assert "0 of 0" in run("list", "--as", analyst.username, "--category", "PH")
    assert "1 of 1" in run("list", "--as", analyst.username, "--name", "testaoui karim")
    assert "0 of 0" in run("list", "--as", analyst.username, "--municipality", GHENT)


def test_list_refused_without_consultation_access(listed, hitcheck):
    refused("list", "--as", hitcheck.username, match="^not allowed: ")
    assert events("entity.list", outcome="denied")


def test_list_bad_format_and_page(analyst):
    refused("list", "--as", analyst.username, "--format", "xml", match="--format: unknown")
    refused("list", "--as", analyst.username, "--limit", "501", match="--limit is 1 to 500")


# --- show ----------------------------------------------------------------------------------------


def test_show_full_for_the_body_without_purpose(listed, analyst):
    output = run("show", listed.reference, "--as", analyst.username)
    assert "(full record)" in output and "contributions:" in output
    (event,) = events("entity.open")
    assert event.target_id == str(listed.id) and event.detail == {"view": "full"}


def test_show_card_for_a_reader_by_uuid(listed, reader):
    output = run("show", str(listed.id), "--as", reader.username)
    assert "(information card)" in output and "contact point:" in output
    assert "contributions:" not in output


def test_show_json_parses(listed, reader):
    data = json.loads(run("show", listed.reference, "--as", reader.username, "--format", "json"))
    assert data["view"] == "card" and data["reference"] == listed.reference
    assert "documents" not in data


def test_partner_with_full_view_needs_a_purpose(listed, feeder):
    refused("show", listed.reference, "--as", feeder.username, match="needs --purpose")
    assert not events("entity.open")
    output = run("show", listed.reference, "--as", feeder.username, "--purpose", "case 12/2026")
    assert "(full record)" in output
    (event,) = events("entity.open")
    assert event.purpose == "case 12/2026"


def test_out_of_scope_and_missing_are_the_same_no_such_person(proposal, reader, analyst):
    # A proposal is seen by the body only; an unknown reference by nobody.
    out_of_scope = refused("show", proposal.reference, "--as", reader.username, match="^no such")
    missing = refused("show", "P-1999-999999", "--as", analyst.username, match="^no such")
    assert out_of_scope == missing == "no such person"
    assert len(events("entity.lookup", outcome="denied")) == 2


def test_a_name_typed_as_key_is_not_journaled(analyst):
    refused("show", "Karim Testaoui", "--as", analyst.username, match="no such person")
    (event,) = events("entity.lookup")
    assert event.detail == {} and event.target_id == ""


# --- hit-check -----------------------------------------------------------------------------------


def test_hit_check_listed_and_not_listed(listed, hitcheck):
    output = run("hit-check", "testaoui KARIM", "--as", hitcheck.username)
    assert output.splitlines()[0] == "listed" and "contact:" in output
    assert run("hit-check", "Nobody Known", "--as", hitcheck.username).strip() == "not listed"
    assert len(events("entity.hit_check", outcome="done")) == 2


def test_hit_check_refused_to_oversight(listed):
    org = OrganisationFactory(kind=OrganisationKind.OVERSIGHT_BODY)
    watcher = UserFactory(organisation=org, role=Role.OVERSIGHT)
    refused("hit-check", "Karim Testaoui", "--as", watcher.username, match="^not allowed: ")


def test_hit_check_rate_limit(listed, hitcheck, settings):
    settings.HIT_CHECKS_PER_MINUTE = 1
    run("hit-check", "Karim Testaoui", "--as", hitcheck.username)
    refused("hit-check", "Karim Testaoui", "--as", hitcheck.username, match="At most 1 checks")


def test_hit_check_name_too_short(hitcheck):
    refused("hit-check", "K", "--as", hitcheck.username, match="^name: ")


# --- due -----------------------------------------------------------------------------------------


def test_due_lists_entries_whose_review_is_due(listed, analyst):
    Entity.objects.filter(pk=listed.pk).update(review_due=timezone.localdate() - timedelta(1))
    output = run("due", "--as", analyst.username)
    assert listed.reference in output and output.splitlines()[-1] == "1 of 1"
    assert "REVIEW_DUE" in output.splitlines()[0]
    assert "0 of 0" in run("due", "--as", analyst.username, "--arrondissement", "gent")


def test_due_refused_to_partners(listed, feeder):
    refused("due", "--as", feeder.username, match="^not allowed: ")
    assert events("entity.review_due", outcome="denied")


# --- propose -------------------------------------------------------------------------------------


def write(tmp_path, data) -> str:
    path = tmp_path / "proposal.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_feeder_proposes_from_a_file(feeder, tmp_path):
    output = run("propose", "--as", feeder.username, "--file", write(tmp_path, PROPOSAL))
    entity = Entity.objects.get()
    assert output.strip() == f"{entity.reference} proposed ({entity.id})"
    assert entity.status == EntryStatus.PROPOSED and entity.names.count() == 2
    assert events("entity.propose")[0].actor_username == feeder.username


def test_propose_from_stdin(feeder):
    run("propose", "--as", feeder.username, "--file", "-", stdin=json.dumps(PROPOSAL))
    assert Entity.objects.count() == 1


def test_reader_cannot_propose(reader, tmp_path):
    refused("propose", "--as", reader.username, "--file", write(tmp_path, PROPOSAL), match="^not")
    assert Entity.objects.count() == 0
    assert events("registry.propose", outcome="denied")


def test_classified_marking_is_refused_and_nothing_written(feeder, tmp_path):
    path = write(tmp_path, {**PROPOSAL, "classification": "CONFIDENTIEL"})
    message = refused("propose", "--as", feeder.username, "--file", path, match="^classification:")
    assert "threat-assessment channel" in message
    assert Entity.objects.count() == 0 and not events("entity.propose")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"names": []}, "names"),
        ({"birth_date": "1990-02-30"}, "birth_date"),
        ({"addresses": [{"municipality": "99999"}]}, "addresses"),
        ({"nationalities": ["Belgium"]}, "nationalities"),
        ({"names": [{"full_name": "x" * 301}]}, "names.0.full_name"),
    ],
)
def test_validation_errors_name_the_field_and_write_nothing(feeder, tmp_path, change, field):
    path = write(tmp_path, {**PROPOSAL, **change})
    refused("propose", "--as", feeder.username, "--file", path, match=f"^{field}: ")
    assert Entity.objects.count() == 0


def test_unreadable_or_malformed_file(feeder, tmp_path):
    refused("propose", "--as", feeder.username, "--file", str(tmp_path / "no.json"), match="read")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    refused("propose", "--as", feeder.username, "--file", str(bad), match="not valid JSON")


# --- validate and reject -------------------------------------------------------------------------


def test_validator_validates_by_reference(proposal, validator):
    output = run(
        "validate", proposal.reference, "--as", validator.username,
        "--category", "FTF", "--sub-status", "ftf_returned", "--level", "3", "--version", "1",
    )  # fmt: skip
    proposal.refresh_from_db()
    assert proposal.status == EntryStatus.VALIDATED and proposal.threat_level == 3
    assert output.startswith(f"{proposal.reference} validated: level 3, version 2")


def test_analyst_may_not_validate(proposal, analyst):
    refused(
        "validate", proposal.reference, "--as", analyst.username,
        "--category", "FTF", "--sub-status", "ftf_returned", "--level", "3",
        match="^not allowed: ",
    )  # fmt: skip
    proposal.refresh_from_db()
    assert proposal.status == EntryStatus.PROPOSED


def test_feeder_cannot_even_find_its_proposal_to_validate(proposal, feeder):
    refused(
        "validate", proposal.reference, "--as", feeder.username,
        "--category", "FTF", "--sub-status", "ftf_returned", "--level", "3",
        match="^no such person$",
    )  # fmt: skip


def test_stale_version_and_bad_sub_status(proposal, validator):
    base = ["validate", proposal.reference, "--as", validator.username, "--category", "FTF"]
    refused(*base, "--sub-status", "ftf_returned", "--level", "3", "--version", "7",
            match="changed by someone else")  # fmt: skip
    refused(*base, "--sub-status", "htf_intent", "--level", "3", match="^sub_status: ")
    proposal.refresh_from_db()
    assert proposal.status == EntryStatus.PROPOSED


def test_validator_rejects_analyst_may_not(proposal, validator, analyst):
    refused("reject", proposal.reference, "--as", analyst.username, "--reason", "x",
            match="^not allowed: ")  # fmt: skip
    output = run("reject", proposal.reference, "--as", validator.username, "--reason", "Too thin.")
    proposal.refresh_from_db()
    assert proposal.status == EntryStatus.REJECTED and proposal.rejection_reason == "Too thin."
    assert "rejected" in output


# --- review and removal ------------------------------------------------------------------------


def test_analyst_reviews_feeder_may_not(listed, analyst, feeder):
    refused("review", listed.reference, "--as", feeder.username, "--outcome", "maintain",
            "--reasons", "x", match="^not allowed: ")  # fmt: skip
    output = run("review", listed.reference, "--as", analyst.username, "--outcome", "change",
                 "--reasons", "Renewed contacts.", "--level", "4")  # fmt: skip
    listed.refresh_from_db()
    assert listed.threat_level == 4 and "reviewed: change, level 4" in output


def test_review_bad_outcome_and_missing_level(listed, analyst):
    base = ["review", listed.reference, "--as", analyst.username, "--reasons", "r"]
    refused(*base, "--outcome", "forget", match="--outcome: unknown value")
    refused(*base, "--outcome", "change", match="^threat_level: ")


def test_removal_is_four_eyes(listed, validator, second_validator, analyst):
    run("review", listed.reference, "--as", validator.username, "--outcome", "propose_removal",
        "--reasons", "Long positive evolution.")  # fmt: skip
    refused("remove", listed.reference, "--as", validator.username, match="^not allowed: Four")
    refused("remove", listed.reference, "--as", analyst.username, match="^not allowed: ")
    output = run("remove", listed.reference, "--as", second_validator.username)
    assert output.strip() == f"{listed.reference} removed"
    assert not Entity.objects.filter(pk=listed.pk).exists()
    (event,) = events("entity.remove", outcome="done")
    assert event.purpose == "Long positive evolution."


def test_removal_needs_a_proposal_first(listed, validator):
    refused("remove", listed.reference, "--as", validator.username, match="first be proposed")

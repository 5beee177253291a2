"""Two OS processes appending at once: the chain stays linear (no fork, no lost event)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from vigie.audit.models import AuditEvent
from vigie.audit.verify import verify_journal

WORKER = Path(__file__).with_name("append_worker.py")
PROJECT = Path(__file__).resolve().parents[2]
WORKERS, APPENDS = 2, 200


def environment(database_url: str, tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "VIGIE_DATA": str(tmp_path)}
    env["VIGIE_AUDIT_CHECKPOINT_EVERY"] = "50"
    return env


def run_workers(env: dict[str, str]) -> None:
    """Start the workers, wait until each is set up, then release them together."""
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), f"worker-{n}", str(APPENDS)],
            cwd=PROJECT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WORKERS)
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.strip() == "done"


def assert_linear(rows: list[tuple[int, str, str]]) -> None:
    """rows: (seq, actor_username, detail) in seq order, all from the workers."""
    assert [seq for seq, _, _ in rows] == list(range(1, WORKERS * APPENDS + 1))
    for n in range(WORKERS):
        mine = [detail for _, name, detail in rows if name == f"worker-{n}"]
        assert len(mine) == APPENDS  # none lost, none doubled


def test_two_processes_append_on_sqlite(tmp_path: Path) -> None:
    # A file database of its own (the test database is in memory), migrated in a subprocess.
    db_path = tmp_path / "journal.sqlite3"
    env = environment(f"sqlite:///{db_path}", tmp_path)
    migrate = [sys.executable, "-m", "vigie", "migrate", "--noinput", "-v", "0"]
    subprocess.run(migrate, cwd=PROJECT, env=env, check=True, timeout=120)

    run_workers(env)

    db = sqlite3.connect(db_path)
    try:
        rows = db.execute(
            "SELECT seq, actor_username, detail FROM audit_auditevent ORDER BY seq"
        ).fetchall()
        assert_linear(rows)
        # A connection without the app (the sqlite3 shell) cannot delete or update either.
        with pytest.raises(sqlite3.OperationalError, match="no such function"):
            db.execute("DELETE FROM audit_auditevent WHERE seq = 1")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("UPDATE audit_auditevent SET purpose = 'x' WHERE seq = 1")
    finally:
        db.close()

    verify = [sys.executable, "-m", "vigie", "audit", "verify"]
    result = subprocess.run(verify, cwd=PROJECT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"journal intact: {WORKERS * APPENDS} events, 8 checkpoints")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL run")
@pytest.mark.django_db(transaction=True)
def test_two_processes_append_on_postgresql(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AUDIT_CHECKPOINT_EVERY = 50  # as in the workers, for the in-process verify
    assert not AuditEvent.objects.exists()
    db = connection.settings_dict
    url = f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    run_workers(environment(url, tmp_path))

    rows = list(AuditEvent.objects.order_by("seq").values_list("seq", "actor_username", "detail"))
    assert_linear(rows)
    result = verify_journal()
    assert result.ok, result.summary()
    assert (result.events, result.checkpoints) == (WORKERS * APPENDS, 8)
    # Both processes really ran at once: their events interleave.
    names = [name for _, name, _ in rows]
    switches = sum(1 for a, b in zip(names, names[1:], strict=False) if a != b)
    assert switches > 1

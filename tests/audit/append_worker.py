"""Appends N events to the journal of DATABASE_URL, after a "go" on stdin (concurrency test).

Usage: python append_worker.py NAME COUNT
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigie.settings")

import django  # noqa: E402

django.setup()

from vigie.audit.services import record_event  # noqa: E402


def main(name: str, count: int) -> None:
    print("ready", flush=True)
    sys.stdin.readline()  # both workers start at once
    for i in range(count):
        record_event(actor=None, actor_username=name, action="test.append", detail={"i": i})
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

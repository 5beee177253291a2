"""Serve Vigie: gunicorn for the web and the background worker, stopped together by Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server (gunicorn, static files through WhiteNoise) and the task worker."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--host", default=os.environ.get("VIGIE_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("VIGIE_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")

    def handle(self, *args: object, host: str, port: int, workers: int, **options: object) -> None:
        if settings.DEMO:
            from vigie.demo.accounts import print_demo_logins

            print_demo_logins(self.stdout, f"http://{host}:{port}")
        python = sys.executable
        web = subprocess.Popen(  # noqa: S603 — fixed argv, no shell
            [
                python,
                "-m",
                "gunicorn",
                "vigie.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--no-control-socket",
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "5",
            ]
        )
        worker = subprocess.Popen([python, "-m", "vigie", "worker"])  # noqa: S603
        self.stdout.write(
            f"Vigie on http://{host}:{port} — worker pid {worker.pid}; Ctrl-C stops both."
        )
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and web.poll() is None and worker.poll() is None:
                time.sleep(0.5)
        finally:
            for proc in (web, worker):
                if proc.poll() is None:
                    proc.terminate()
            for proc in (web, worker):
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        if not stopping:
            raise SystemExit("a Vigie process stopped unexpectedly")

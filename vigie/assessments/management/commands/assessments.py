"""`vigie assessments expire` and `vigie assessments list --as USER`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigie.assessments import selectors, services
from vigie.core.selectors import user_by_username


class Command(BaseCommand):
    help = "Threat assessments: mark expired ones, list what a user may open."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("expire", help="mark assessments past their validity; notify authors")
        listing = sub.add_parser("list", help="the assessments a user may open")
        listing.add_argument("--as", dest="username", required=True, help="the reading user")
        listing.add_argument("--kind", default="")
        listing.add_argument("--status", default="")
        listing.add_argument("--limit", type=int, default=50)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "expire":
            expired = services.assessments_expire()
            for assessment in expired:
                self.stdout.write(f"expired {assessment.reference} v{assessment.revision}")
            self.stdout.write(f"{len(expired)} assessment(s) expired")
            return
        user = user_by_username(options["username"])
        if user is None:
            raise CommandError(f"no such user: {options['username']}")
        if not 1 <= options["limit"] <= 500:
            raise CommandError("--limit is 1 to 500")
        page, count = selectors.assessment_list(
            actor=user,
            filters=selectors.AssessmentFilters(kind=options["kind"], status=options["status"]),
            limit=options["limit"],
        )
        for a in page:
            self.stdout.write(
                "\t".join(
                    [
                        f"{a.reference} v{a.revision}",
                        a.kind,
                        a.status,
                        str(a.level or "-"),
                        a.get_classification_display(),
                    ]
                )
            )
        self.stdout.write(f"{count} assessment(s)")

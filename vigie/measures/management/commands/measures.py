"""`vigie measures remind | expire | list --as USER`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from vigie.core.management.base import VigieCommand, get_user
from vigie.measures import selectors, services


class Command(VigieCommand):
    help = "Administrative measures: remind owners of freeze reviews, end expired measures, list."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("remind", help="e-mail owners of freeze reviews due soon (once each)")
        sub.add_parser("expire", help="end ID-card and passport measures past their period")
        listing = sub.add_parser("list", help="the cases a user may see")
        listing.add_argument("--as", dest="username", required=True, help="the reading user")
        listing.add_argument("--status", default="")
        listing.add_argument("--type", dest="measure_type", default="")
        listing.add_argument("--limit", type=int, default=50)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "remind":
            reminded = services.reviews_remind()
            for review in reminded:
                self.stdout.write(f"reminded {review.case.reference} review due {review.due_on}")
            self.stdout.write(f"{len(reminded)} reminder(s) sent")
            return
        if action == "expire":
            ended = services.measures_expire()
            for case in ended:
                self.stdout.write(f"ended {case.reference} ({case.measure_type})")
            self.stdout.write(f"{len(ended)} measure(s) ended")
            return
        user = get_user(options["username"])
        if not 1 <= options["limit"] <= 500:
            raise CommandError("--limit is 1 to 500")
        page, count = selectors.case_list(
            actor=user,
            filters=selectors.CaseFilters(
                status=options["status"], measure_type=options["measure_type"]
            ),
            limit=options["limit"],
        )
        for case in page:
            period = f"{case.period_start or ''}..{case.period_end or ''}"
            self.stdout.write(
                "\t".join(
                    [case.reference, case.measure_type, case.status, case.entity_reference, period]
                )
            )
        self.stdout.write(f"{count} case(s)")

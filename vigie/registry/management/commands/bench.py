"""`vigie bench registry`: time the person list and detail view on the configured database.

It runs against whatever database Vigie is configured with (DATABASE_URL or the SQLite file in
VIGIE_DATA) and first tops it up with fictitious persons to --persons, so it is refused outside
demo mode unless --fictitious is given. Each case is timed in the selector (what the server
spends, journal append included) and beside it the same query written by hand in SQL (the
peer): the gap is what the ORM query shape costs.
"""

# Table names come from model metadata and every value is a parameter: no injection.
# ruff: noqa: S608
from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection

from vigie.core import organisations as orgs
from vigie.core.choices import Role
from vigie.core.management.base import VigieCommand
from vigie.core.models import Organisation, User
from vigie.demo.management.commands.seed import parse_count, seed_persons
from vigie.registry.models import Address, CategoryMembership, Entity, EntityName
from vigie.registry.selectors import EntityFilters, entity_get, entity_list, entity_list_sql

PROVINCE = "10000"  # Antwerp province
NAME_QUERY = "mohamed"
PARTNER_ORGANISATION = "justice-houses"  # profile: FTF, HTF, PCT; card view
PARTNER_ARRONDISSEMENT = "brussel"


@dataclass
class Case:
    label: str
    orm: Callable[[], int]
    sql: Callable[[], int]


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _time(fn: Callable[[], int], repeat: int) -> tuple[list[float], int]:
    fn()  # warm caches and connections: we measure the steady state
    samples, rows = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = fn()
        samples.append(time.perf_counter() - start)
    return samples, rows


def _account(username: str, organisation: str, role: str, arrondissement: str = "") -> User:
    """A bench account (no password: it never signs in), created through the account service."""
    from vigie.core.models import Arrondissement
    from vigie.core.services import account_create, system_user

    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    user, _device = account_create(
        actor=system_user(),
        username=username,
        organisation=Organisation.objects.get(code=organisation),
        role=role,
        territory_arrondissement=(
            Arrondissement.objects.get(pk=arrondissement) if arrondissement else None
        ),
    )
    return user


class RawPeer:
    """The detail view's reads written by hand in SQL (the list's peer is its own SQL)."""

    def __init__(self) -> None:
        self.e = Entity._meta.db_table
        self.n = EntityName._meta.db_table
        self.m = CategoryMembership._meta.db_table
        self.a = Address._meta.db_table

    def detail(self, entity_id: Any) -> int:
        pk = Entity._meta.pk.get_db_prep_value(entity_id, connection)  # type: ignore[union-attr]
        queries = (
            f"SELECT * FROM {self.e} WHERE id = %s",
            f"SELECT * FROM {self.n} WHERE entity_id = %s ORDER BY name_type, full_name",
            f"SELECT * FROM {self.m} WHERE entity_id = %s",
            f"SELECT a.*, mu.*, ar.* FROM {self.a} a JOIN core_municipality mu "
            "ON mu.nis_code = a.municipality_id JOIN core_arrondissement ar "
            "ON ar.code = mu.arrondissement_id WHERE a.entity_id = %s",
            "SELECT * FROM registry_identitydocument WHERE entity_id = %s",
            "SELECT c.*, o.code FROM registry_contribution c JOIN core_organisation o "
            "ON o.id = c.organisation_id WHERE c.entity_id = %s ORDER BY c.created_at DESC",
        )
        rows = 0
        with connection.cursor() as cursor:
            for sql in queries:
                cursor.execute(sql, [pk])
                rows += len(cursor.fetchall())
        return rows


class Command(VigieCommand):
    help = (
        "Time the registry's filtered person list and detail view (median, p95) beside raw SQL, "
        "on the configured database, after topping it up with fictitious persons."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("target", choices=["registry", "screening", "screening-api"])
        screening = parser.add_argument_group("screening (vigie.screening.benchmark)")
        screening.add_argument("--size", default="100000", metavar="N", help="watchlist size")
        screening.add_argument("--queries", default="3000", metavar="N")
        screening.add_argument("--no-peers", action="store_true", help="skip the peers")
        screening.add_argument("--passes", default="5", metavar="N", help="cold passes timed")
        parser.add_argument("--persons", default="100000", metavar="N")
        parser.add_argument("--repeat", default="20", metavar="N")
        parser.add_argument(
            "--fictitious",
            action="store_true",
            help="allow seeding fictitious persons outside demo mode",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: object, **options: Any) -> None:
        if options["target"] == "screening":
            # Pure Python and fictitious: it touches no database.
            from vigie.screening.benchmark import format_report, run

            size = parse_count(options["size"], "--size") or 0
            queries = parse_count(options["queries"], "--queries") or 0
            if size < 1 or queries < 1:
                raise CommandError("--size and --queries must be at least 1")
            passes = parse_count(options["passes"], "--passes") or 0
            if passes < 1:
                raise CommandError("--passes must be at least 1")
            report = run(size, queries, None, 200, peers=not options["no_peers"], passes=passes)
            self.stdout.write(format_report(report))
            return
        persons = parse_count(options["persons"], "--persons") or 0
        repeat = parse_count(options["repeat"], "--repeat") or 0
        if repeat < 1:
            raise CommandError("--repeat must be at least 1")
        if not (settings.DEMO or options["fictitious"]):
            raise CommandError(
                "the benchmark seeds fictitious persons into the configured database: "
                "it needs VIGIE_DEMO=1 or --fictitious (never on a production database)"
            )
        from vigie.core.organisations import load_organisations
        from vigie.core.reference import load_territory
        from vigie.registry.bulk_services import person_count

        load_territory()
        load_organisations(update_profiles=False)
        existing = person_count()
        if existing < persons:
            self.stdout.write(f"seeding {persons - existing} fictitious persons …")
            seed_persons(count=persons - existing, progress=not options["no_progress"])
        total = person_count()
        analyst = _account("bench-analyst", orgs.OCAM, Role.ANALYST)
        if options["target"] == "screening-api":
            self._screening_api(analyst, total, repeat)
            return
        partner = _account(
            "bench-partner", PARTNER_ORGANISATION, Role.PARTNER_OFFICER, PARTNER_ARRONDISSEMENT
        )
        peer = RawPeer()

        def orm_list(actor: User, filters: EntityFilters) -> Callable[[], int]:
            return lambda: entity_list(actor=actor, filters=filters)[1]

        def same_sql(actor: User, filters: EntityFilters) -> Callable[[], int]:
            # The peer: the very statements the selector runs, straight through the cursor.
            statements = entity_list_sql(actor=actor, filters=filters)

            def run() -> int:
                with connection.cursor() as cursor:
                    cursor.execute(*statements[0])
                    count = cursor.fetchone()[0]
                    cursor.execute(*statements[1])
                    cursor.fetchall()
                return int(count)

            return run

        page, _count, _view = entity_list(
            actor=analyst, filters=EntityFilters(category="FTF", province=PROVINCE)
        )
        if not page:
            raise CommandError("no FTF person in the benchmark province: seed more persons")
        target = page[0].id
        cases = [
            Case(
                "list analyst FTF+province",
                orm_list(analyst, EntityFilters(category="FTF", province=PROVINCE)),
                same_sql(analyst, EntityFilters(category="FTF", province=PROVINCE)),
            ),
            Case(
                "list analyst FTF+province+name",
                orm_list(
                    analyst, EntityFilters(category="FTF", province=PROVINCE, name=NAME_QUERY)
                ),
                same_sql(
                    analyst, EntityFilters(category="FTF", province=PROVINCE, name=NAME_QUERY)
                ),
            ),
            Case(
                "list partner (profile) FTF+name",
                orm_list(partner, EntityFilters(category="FTF", name=NAME_QUERY)),
                same_sql(partner, EntityFilters(category="FTF", name=NAME_QUERY)),
            ),
            Case(
                "detail analyst",
                lambda: len(
                    entity_get(actor=analyst, entity_id=target, purpose="bench")[0].names.all()
                ),
                lambda: peer.detail(target),
            ),
        ]
        vendor = connection.vendor
        self.stdout.write(
            f"\nvigie bench registry — {vendor}, {total} persons, {repeat} repeats, "
            "times in ms (server time: selector incl. journal append | "
            "the same SQL through the cursor)\n"
        )
        header = ("case", "orm median", "orm p95", "sql median", "sql p95", "count")
        rows = [header]
        for case in cases:
            orm_samples, orm_rows = _time(case.orm, repeat)
            sql_samples, _sql_rows = _time(case.sql, repeat)
            orm_median, orm_p95 = _ms(orm_samples)
            sql_median, sql_p95 = _ms(sql_samples)
            rows.append(
                (
                    case.label,
                    f"{orm_median:.1f}",
                    f"{orm_p95:.1f}",
                    f"{sql_median:.1f}",
                    f"{sql_p95:.1f}",
                    str(orm_rows),
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        for row in rows:
            cells = [row[0].ljust(widths[0])] + [
                c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
            ]
            self.stdout.write("  " + "  ".join(cells))
        self.stdout.write("")

    def _screening_api(self, analyst: User, total: int, repeat: int) -> None:
        """One name per request through POST /api/v1/screening/match (Django's test client:
        middleware, token, access policy, engine, journal append), beside the engine alone on
        the same names (the peer)."""
        from django.test import Client

        from vigie.core.services import system_user, token_create
        from vigie.registry.screening_selectors import screening_records
        from vigie.screening import index

        _token, raw = token_create(actor=system_user(), user=analyst, label="bench", days=1)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_X_VIGIE_PURPOSE": "bench"}
        step = max(1, total // repeat)  # spread over the whole list
        records = [r for n, r in enumerate(screening_records()) if n % step == 0][:repeat]
        names = [
            # listed names, reordered or with a letter dropped: hits and near-misses
            " ".join(reversed(r["name"].split())) if n % 2 else r["name"][:-1]
            for n, r in enumerate(records)
        ]
        client = Client()
        start = time.perf_counter()
        index.current().reset()
        index.matcher()  # built once per process, then kept fresh
        build = time.perf_counter() - start

        def call(name: str) -> int:
            response = client.post(
                "/api/v1/screening/match",
                {"queries": [{"id": "q", "name": name}]},
                content_type="application/json",
                **headers,
            )
            if response.status_code != 200:
                raise CommandError(f"API answered {response.status_code}: {response.content!r}")
            return int(response.json()["items"][0]["listed"])

        call(names[0])  # connections and caches warm: we measure the steady state
        api, engine, hits = [], [], 0
        matcher = index.matcher()
        for name in names:
            t0 = time.perf_counter()
            hits += call(name) > 0
            api.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            matcher.match([{"id": "q", "name": name}])
            engine.append(time.perf_counter() - t0)
        api_median, api_p95 = _ms(api)
        engine_median, engine_p95 = _ms(engine)
        self.stdout.write(
            f"\nvigie bench screening-api — {connection.vendor}, {total} persons, "
            f"{len(names)} single-name requests ({hits} with a candidate)\n"
            f"  index build (first request of a process): {build:.1f} s\n"
            f"  API  POST /api/v1/screening/match: median {api_median:.1f} ms, "
            f"p95 {api_p95:.1f} ms\n"
            f"  peer engine alone (Matcher.match):  median {engine_median:.2f} ms, "
            f"p95 {engine_p95:.2f} ms\n"
        )

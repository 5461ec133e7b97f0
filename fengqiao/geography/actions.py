"""Loading the division list and the reference organisations derived from it.

Both loads are idempotent: running them again adds what is missing and renames what
changed, and never duplicates.
"""

import csv
import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from fengqiao.geography import codes
from fengqiao.geography.choices import Level, OrgKind
from fengqiao.geography.models import AdminUnit, Organisation
from fengqiao.geography.naming import short_village_name

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_PROVINCE = "51"


def division_rows(province: str = DEFAULT_PROVINCE) -> Iterator[tuple[int, str]]:
    """(code, name) pairs of the kept division file, parents before children."""
    with gzip.open(DATA_DIR / f"divisions-{province}.csv.gz", "rt", encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        for code, name in reader:
            yield int(code), name


@dataclass(frozen=True)
class LoadResult:
    units: int
    organisations: int


@transaction.atomic
def load_divisions(province: str = DEFAULT_PROVINCE) -> LoadResult:
    """Upsert every unit of the province, then the organisations derived from them."""
    units = [
        AdminUnit(code=code, name=name, level=codes.level_of(code), parent_id=codes.parent_of(code))
        for code, name in division_rows(province)
    ]
    AdminUnit.objects.bulk_create(
        units,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "level", "parent"],
    )
    orgs = list(reference_organisations(units))
    Organisation.objects.bulk_create(orgs, batch_size=2000, ignore_conflicts=True)
    return LoadResult(units=len(units), organisations=len(orgs))


def reference_organisations(units: list[AdminUnit]) -> Iterator[Organisation]:
    """The bodies every division has by law or by the standard county set-up.

    人民调解法 Art. 8: villagers' and residents' committees set up people's mediation
    committees; townships may too. Each township has a judicial office (司法所) and,
    for this model, a police station; each county a resolution centre, justice bureau,
    legal-aid centre (法律援助法 Art. 12), basic court, petition office, labour
    arbitration commission and stationed mediation rooms at court, police and
    petition office (诉调/警调/访调对接).
    """
    by_code = {u.code: u for u in units}

    def org(kind: OrgKind, unit: AdminUnit, name: str) -> Organisation:
        return Organisation(kind=kind, admin_unit=unit, name=name, generated=True)

    for u in units:
        if u.level == Level.PROVINCE:
            yield org(OrgKind.JUSTICE_BUREAU, u, f"{u.name}司法厅")
            yield org(OrgKind.COURT, u, f"{u.name}高级人民法院")
        elif u.level == Level.CITY:
            yield org(OrgKind.JUSTICE_BUREAU, u, f"{u.name}司法局")
            yield org(OrgKind.COURT, u, f"{u.name}中级人民法院")
            yield org(OrgKind.PETITION_OFFICE, u, f"{u.name}信访局")
        elif u.level == Level.COUNTY:
            city = by_code[codes.ancestor_at(u.code, Level.CITY) or 0]
            full = f"{city.name}{u.name}" if city.name not in ("省直辖县级行政区划",) else u.name
            yield org(OrgKind.RESOLUTION_CENTER, u, f"{full}矛盾纠纷调处化解中心")
            yield org(OrgKind.JUSTICE_BUREAU, u, f"{full}司法局")
            yield org(OrgKind.LEGAL_AID_CENTER, u, f"{full}法律援助中心")
            yield org(OrgKind.COURT, u, f"{full}人民法院")
            yield org(OrgKind.PETITION_OFFICE, u, f"{full}信访局")
            yield org(OrgKind.ARBITRATION_COMMISSION, u, f"{full}劳动人事争议仲裁委员会")
            for where in ("人民法院诉调对接", "公安局警调对接", "信访局访调对接"):
                yield org(OrgKind.STATIONED_MEDIATION_ROOM, u, f"{full}{where}人民调解室")
        elif u.level == Level.TOWNSHIP:
            county = by_code[codes.ancestor_at(u.code, Level.COUNTY) or 0]
            yield org(OrgKind.MEDIATION_COMMITTEE, u, f"{county.name}{u.name}人民调解委员会")
            yield org(OrgKind.JUDICIAL_OFFICE, u, f"{county.name}司法局{u.name}司法所")
            yield org(OrgKind.POLICE_STATION, u, f"{county.name}公安局{u.name}派出所")
        else:
            township = by_code[codes.ancestor_at(u.code, Level.TOWNSHIP) or 0]
            yield org(
                OrgKind.MEDIATION_COMMITTEE, u, f"{township.name}{short_village_name(u.name)}人民调解委员会"
            )

"""Turnout of a process: per zone, by age bucket and by voting method."""

from dataclasses import dataclass, field

from django.db.models import Count

from civic_budget import phases
from civic_budget.models import Ballot

LIVE_TURNOUT_PERMISSION = "civic_budget.view_live_turnout"


@dataclass
class ZoneTurnout:
    zone_id: int
    name: str
    kind: str
    population: int
    voters: int = 0
    by_age: dict = field(default_factory=dict)
    by_method: dict = field(default_factory=dict)

    @property
    def rate_percent(self):
        return round(100 * self.voters / self.population, 2) if self.population else 0.0


def may_see_turnout(user, process, now=None):
    """Public when the phase lets residents see it; staff with the permission see it live."""
    if process.resident_may(phases.SEE_TURNOUT, now):
        return True
    return user.is_authenticated and user.has_perm(LIVE_TURNOUT_PERMISSION)


def compute_turnout(process):
    """One grouped query; a city-wide zone counts every voter of the process."""
    zones = list(process.zones.all())
    rows = (
        Ballot.objects.filter(process=process)
        .values("zone_id", "age_bucket", "method")
        .annotate(voters=Count("pk"))
        .order_by()
    )
    result = {
        zone.pk: ZoneTurnout(zone.pk, zone.name, zone.kind, zone.population) for zone in zones
    }
    for row in rows:
        for zone in zones:
            if zone.kind == zone.CITYWIDE or zone.pk == row["zone_id"]:
                entry = result[zone.pk]
                entry.voters += row["voters"]
                entry.by_age[row["age_bucket"]] = (
                    entry.by_age.get(row["age_bucket"], 0) + row["voters"]
                )
                entry.by_method[row["method"]] = (
                    entry.by_method.get(row["method"], 0) + row["voters"]
                )
    for entry in result.values():
        entry.by_age = dict(sorted(entry.by_age.items(), key=lambda item: _bucket_start(item[0])))
    return list(result.values())


def _bucket_start(label):
    start = label.split("-")[0].rstrip("+")
    return int(start) if start.isdigit() else 0

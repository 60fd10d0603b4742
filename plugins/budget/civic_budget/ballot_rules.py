"""Validation of a ballot against the rules of its zones (pure: plain data in, plain data out).

Each refusal carries a stable code and the numbers a message needs, so the caller words it in
the resident's language.
"""

from dataclasses import dataclass, field

APPROVAL_BUDGET = "approval_budget"
APPROVAL_COUNT = "approval_count"
CUMULATIVE = "cumulative"
RULES = (APPROVAL_BUDGET, APPROVAL_COUNT, CUMULATIVE)


@dataclass(frozen=True)
class ZoneRule:
    zone_id: int
    name: str
    rule: str
    budget_cents: int
    min_choices: int = 0
    max_choices: int | None = None
    points_total: int = 0
    max_points_per_project: int | None = None


@dataclass(frozen=True)
class BallotProject:
    project_id: int
    zone_id: int
    cost_cents: int
    title: str = ""


@dataclass(frozen=True)
class Refusal:
    code: str
    zone_id: int | None = None
    project_id: int | None = None
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ZoneTally:
    zone_id: int
    chosen: int
    cost_cents: int
    points: int


@dataclass(frozen=True)
class Verdict:
    refusals: tuple
    tallies: tuple

    @property
    def accepted(self):
        return not self.refusals


def check_ballot(choices, voter_zone_ids, zone_rules, ballot_projects):
    """Check ``choices`` ({project_id: points}) for a voter who may vote in ``voter_zone_ids``.

    ``zone_rules`` maps zone ids to :class:`ZoneRule`, ``ballot_projects`` maps the ids of the
    projects on the ballot to :class:`BallotProject`. Approval rules take 1 point per project.
    """
    refusals = []
    by_zone = {zone_id: {} for zone_id in voter_zone_ids}
    if not choices:
        refusals.append(Refusal("empty"))
    for project_id, points in sorted(choices.items()):
        project = ballot_projects.get(project_id)
        if project is None:
            refusals.append(Refusal("not_on_ballot", project_id=project_id))
            continue
        if project.zone_id not in by_zone:
            refusals.append(Refusal("wrong_zone", zone_id=project.zone_id, project_id=project_id))
            continue
        if not isinstance(points, int) or isinstance(points, bool) or points < 1:
            refusals.append(Refusal("invalid_points", project_id=project_id))
            continue
        by_zone[project.zone_id][project_id] = points

    tallies = []
    for zone_id in sorted(by_zone):
        rule = zone_rules[zone_id]
        chosen = by_zone[zone_id]
        cost = sum(ballot_projects[project_id].cost_cents for project_id in chosen)
        points = sum(chosen.values())
        tallies.append(ZoneTally(zone_id, len(chosen), cost, points))
        refusals.extend(_zone_refusals(rule, chosen, cost, points))
    return Verdict(tuple(refusals), tuple(tallies))


def _zone_refusals(rule, chosen, cost, points):
    count = len(chosen)
    found = []
    if rule.rule != CUMULATIVE:
        for project_id, given in chosen.items():
            if given != 1:
                found.append(Refusal("approval_points", rule.zone_id, project_id))
    if rule.rule == APPROVAL_BUDGET and cost > rule.budget_cents:
        found.append(
            Refusal(
                "over_budget",
                rule.zone_id,
                params={"cost_cents": cost, "budget_cents": rule.budget_cents},
            )
        )
    if rule.rule in (APPROVAL_BUDGET, APPROVAL_COUNT):
        if count and count < rule.min_choices:
            found.append(
                Refusal("too_few", rule.zone_id, params={"count": count, "min": rule.min_choices})
            )
        if rule.max_choices is not None and count > rule.max_choices:
            found.append(
                Refusal("too_many", rule.zone_id, params={"count": count, "max": rule.max_choices})
            )
    if rule.rule == CUMULATIVE:
        if points > rule.points_total:
            found.append(
                Refusal(
                    "too_many_points",
                    rule.zone_id,
                    params={"points": points, "total": rule.points_total},
                )
            )
        cap = rule.max_points_per_project
        for project_id, given in chosen.items():
            if cap is not None and given > cap:
                found.append(Refusal("project_points_cap", rule.zone_id, project_id, {"max": cap}))
    return found

"""Freezing the ballots after the vote and counting them with ``civic_budget.counting``.

The counting input is the anonymised ballots only: per zone, every voter who votes in that
zone contributes the (possibly empty) set of their choices among the zone's projects.
"""

import hashlib
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_q.tasks import async_task

from civic_budget import ballot_rules, counting, phases, workflow
from civic_budget.counting import result as counting_result
from civic_budget.errors import BudgetError
from civic_budget.models import BallotChoice, Process, Project, Zone, ZoneResult

logger = logging.getLogger(__name__)

RULES = {
    "greedy": counting.GreedyRule(),
    "mes": counting.EqualSharesRule(),
    "mes_add1": counting.EqualSharesRule(completion="add1"),
    "mes_add1_utilitarian": counting.EqualSharesRule(completion="add1_utilitarian"),
}

REASONS = {
    counting_result.BELOW_MIN_VOTES: _("Not enough votes."),
    counting_result.DID_NOT_FIT: _("Its cost exceeded the money left when its turn came."),
    counting_result.AFTER_STOP: _("The count stopped before its turn."),
    counting_result.NO_SUPPORTERS: _("Nobody voted for it."),
    counting_result.UNAFFORDABLE: _("Its supporters had too little of their share left."),
    counting_result.UNDECIDED: _("Undecided: a tie must be settled by a draw."),
}


def _ballot_rows(process):
    """(ballot id, residence zone id, project id, points) of every choice, in a stable order."""
    return (
        BallotChoice.objects.filter(ballot__process=process)
        .values_list("ballot_id", "ballot__zone_id", "project_id", "points")
        .order_by("ballot_id", "project_id")
    )


def frozen_ballots(process):
    """{ballot id: (residence zone id, {project id: points})}."""
    ballots = {}
    for ballot_id, zone_id, project_id, points in _ballot_rows(process).iterator(chunk_size=5000):
        ballots.setdefault(ballot_id, (zone_id, {}))[1][project_id] = points
    return ballots


def ballots_hash(ballots):
    """SHA-256 of the anonymised ballots, sorted: one line per ballot, ids only."""
    lines = sorted(
        f"{zone_id}:" + ",".join(f"{pid}={points}" for pid, points in sorted(choices.items()))
        for zone_id, choices in ballots.values()
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def election_for(zone, ballots, projects, voters_zone_ids):
    costs = {str(project.pk): project.cost_cents for project in projects}
    ballot_type = (
        counting.CUMULATIVE if zone.ballot_rule == ballot_rules.CUMULATIVE else counting.APPROVAL
    )
    zone_ballots = []
    for residence, choices in ballots.values():
        if residence not in voters_zone_ids:
            continue
        mine = {str(pid): points for pid, points in choices.items() if str(pid) in costs}
        zone_ballots.append(mine if ballot_type == counting.CUMULATIVE else list(mine))
    return counting.Election(costs, zone.budget_cents, zone_ballots, ballot_type=ballot_type)


def voter_zone_ids(zone, zones):
    """The residence zones whose voters vote in ``zone``: every district for a city-wide
    zone (itself if the city has no district), else the zone itself."""
    if zone.kind != Zone.CITYWIDE:
        return {zone.pk}
    return {other.pk for other in zones if other.kind == Zone.DISTRICT} or {zone.pk}


def freeze_process(process):
    """Freeze the ballots of a closed vote, once: their hash and the time are recorded."""
    with transaction.atomic():
        process = Process.objects.select_for_update().get(pk=process.pk)
        if not phases.vote_has_closed(process.schedule, timezone.now()):
            raise BudgetError(_("Results come after the vote closes."), code=BudgetError.CONFLICT)
        if process.frozen_at is not None or process.results.exists():
            raise BudgetError(
                _("This process has already been counted."), code=BudgetError.CONFLICT
            )
        process.frozen_ballots_hash = ballots_hash(frozen_ballots(process))
        process.frozen_at = timezone.now()
        process.save(update_fields=["frozen_ballots_hash", "frozen_at"])
    return process


def count_zone(process, zone, *, actor=None, ballots=None):
    """Count one zone of a frozen process and record its outcomes; a zone already counted is
    left as it is. ``ballots`` (from :func:`frozen_ballots`) spares reading them again."""
    with transaction.atomic():
        zone = Zone.objects.select_for_update().get(pk=zone.pk)
        if ZoneResult.objects.filter(zone=zone).exists():
            return None
        if ballots is None:
            ballots = frozen_ballots(process)
            if ballots_hash(ballots) != process.frozen_ballots_hash:
                raise BudgetError(
                    _("The ballots changed after they were frozen: the count stops."),
                    code=BudgetError.CONFLICT,
                )
        projects = list(Project.objects.filter(zone=zone, status=Project.ON_BALLOT).order_by("pk"))
        if not projects:
            return None
        zones = list(process.zones.all())
        voters = voter_zone_ids(zone, zones)
        if not any(residence in voters for residence, _choices in ballots.values()):
            # Nobody votes in this zone: there is nothing to count.
            for project in projects:
                workflow.declare_outcome(
                    actor, project, False, str(REASONS[counting_result.NO_SUPPORTERS])
                )
            return None
        election = election_for(zone, ballots, projects, voters)
        ties = {"seed": process.tie_break_seed or None, "cost_order": process.tie_cost_order}
        result = counting.count(election, RULES[process.counting_rule], **ties)
        greedy = counting.count(election, counting.GreedyRule(), **ties)
        zone_result = ZoneResult.objects.create(
            process=process,
            zone=zone,
            rule=result.rule,
            parameters=result.parameters,
            status=result.status,
            winners=result.winners,
            spent_cents=result.spent,
            leftover_cents=result.leftover,
            final_endowment=result.final_endowment or "",
            tie_order=result.tie_order,
            input_hash=result.input_hash,
            ballots_hash=process.frozen_ballots_hash,
            algorithm_version=result.algorithm_version,
            voter_count=result.voter_count,
            greedy_winners=greedy.winners if greedy.is_complete else [],
            detail=result.to_dict(),
        )
        if not result.is_complete:
            logger.warning("Unresolved tie in %s: a draw is needed.", zone)
            return zone_result
        for project in projects:
            selected = str(project.pk) in result.winners
            reason = "" if selected else str(REASONS[result.reasons[str(project.pk)]])
            workflow.declare_outcome(actor, project, selected, reason)
    return zone_result


def count_process(process, *, actor=None):
    """Freeze the ballots of a closed vote, count every zone and record the outcomes."""
    process = freeze_process(process)
    ballots = frozen_ballots(process)
    for zone in process.zones.all():
        count_zone(process, zone, actor=actor, ballots=ballots)
    return process


def count_closed_processes():
    """The scheduled task: freeze every process whose vote has closed and is not counted yet,
    then queue one task per zone, so that a long zone neither blocks the others nor outlives
    the cluster's timeout with them."""
    frozen = []
    for process in Process.objects.filter(vote_close__lte=timezone.now(), frozen_at__isnull=True):
        try:
            process = freeze_process(process)
        except BudgetError:
            logger.exception("Process %s could not be counted.", process.pk)
            continue
        for zone_id in process.zones.values_list("pk", flat=True):
            async_task("civic_budget.tasks.count_zone", process.pk, zone_id)
        frozen.append(process.pk)
    return frozen

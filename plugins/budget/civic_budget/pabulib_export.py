"""A counted process as pabulib files: one ``.pb`` per counted zone.

The ballots are the frozen, anonymised ones the count used: voters are numbered after sorting
by ballot (the order of voting is gone) and carry no other column. META records the rule and
its parameters, the tie order and the draw, and the stored input hash, so that importing a
file and counting it again with those parameters gives the stored result (``civic_rule``,
``civic_tie_order``, ``civic_input_hash``).
"""

import io
import json
import zipfile

from django.utils.text import slugify
from django.utils.translation import gettext as _

from civic_budget import ballot_rules, pabulib, results
from civic_budget.counting import rule_from_parameters
from civic_budget.errors import BudgetError
from civic_budget.models import Project

RECOUNT_KEYS = ("civic_rule", "civic_tie_order", "civic_input_hash")
EXPORT_PERMISSION = "civic_budget.view_process"


def export_for(user, process) -> tuple[str, bytes]:
    """``(file name, zip)`` of a counted process for a member who may see processes."""
    if not user.has_perm(EXPORT_PERMISSION):
        raise BudgetError(_("Only the budget team may export a process."), BudgetError.FORBIDDEN)
    if not process.results.exists():
        raise BudgetError(
            _("This process has not been counted: there is nothing to export."),
            BudgetError.CONFLICT,
        )
    return f"{slugify(process.slug)}-pabulib.zip", process_zip(process)


def zone_pb(process, result, ballots, zones) -> pabulib.PbFile:
    """The ``.pb`` file of one counted zone (``result`` is its ``ZoneResult``)."""
    zone = result.zone
    counted = set(result.winners) | set(result.detail.get("reasons", {}))
    projects = Project.objects.filter(zone=zone, pk__in=[int(pk) for pk in counted]).order_by("pk")
    cumulative = zone.ballot_rule == ballot_rules.CUMULATIVE
    voters = results.voter_zone_ids(zone, zones)
    rows = []
    for residence, choices in ballots.values():
        if residence not in voters:
            continue
        mine = sorted((str(pid), points) for pid, points in choices.items() if str(pid) in counted)
        row = {"vote": ",".join(pid for pid, _ in mine)}
        if cumulative:
            row["points"] = ",".join(str(points) for _, points in mine)
        rows.append(row)
    rows.sort(key=lambda row: (row["vote"], row.get("points", "")))
    for number, row in enumerate(rows, start=1):
        row["voter_id"] = str(number)
    tie_order = result.tie_order
    return pabulib.PbFile(
        meta={
            "description": f"{process.title} – {zone.name}",
            "num_projects": str(len(projects)),
            "num_votes": str(len(rows)),
            "budget": str(zone.budget_cents),
            "vote_type": "cumulative" if cumulative else "approval",
            "rule": "greedy" if result.rule == "greedy" else "equalshares",
            "currency_unit": "cent",
            "civic_rule": json.dumps(result.parameters, sort_keys=True),
            "civic_tie_order": json.dumps(
                {key: tie_order.get(key) for key in ("seed", "lot_order", "cost_order")},
                sort_keys=True,
            ),
            "civic_input_hash": result.input_hash,
        },
        project_columns=["project_id", "cost", "name", "selected"],
        projects=[
            {
                "project_id": str(project.pk),
                "cost": str(project.cost_cents),
                "name": project.title,
                "selected": "1" if str(project.pk) in result.winners else "0",
            }
            for project in projects
        ],
        vote_columns=["voter_id", "vote", *(["points"] if cumulative else [])],
        votes=rows,
    )


def process_files(process) -> dict[str, str]:
    """``{file name: .pb text}`` for every counted zone of ``process``."""
    ballots = results.frozen_ballots(process)
    zones = list(process.zones.all())
    files = {}
    for result in process.results.select_related("zone").order_by("zone__name"):
        name = f"{slugify(process.slug)}_{slugify(result.zone.name) or result.zone.pk}.pb"
        files[name] = pabulib.write(zone_pb(process, result, ballots, zones))
    return files


def process_zip(process) -> bytes:
    """The files of :func:`process_files` in one zip archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in process_files(process).items():
            archive.writestr(name, text)
    return buffer.getvalue()


def recount_arguments(pb: pabulib.PbFile) -> dict:
    """``rule``, ``seed``/``lot_order`` and ``cost_order`` recorded in an exported file, ready
    for :func:`civic_budget.counting.count`."""
    missing = [key for key in RECOUNT_KEYS if key not in pb.meta]
    if missing:
        raise pabulib.PabulibError(None, "META", f"not an export of this site: no {missing[0]}")
    try:
        tie_order = json.loads(pb.meta["civic_tie_order"])
        rule = rule_from_parameters(json.loads(pb.meta["civic_rule"]))
    except (ValueError, TypeError, AttributeError) as error:
        raise pabulib.PabulibError(
            None, "META", f"unreadable counting parameters: {error}"
        ) from None
    arguments = {"rule": rule, "cost_order": tie_order.get("cost_order") or "ascending"}
    if tie_order.get("seed"):
        arguments["seed"] = tie_order["seed"]
    elif tie_order.get("lot_order"):
        arguments["lot_order"] = tie_order["lot_order"]
    return arguments

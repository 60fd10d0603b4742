"""Every state change of a project, and the one table of the actions the city can take.

Each action on a project is declared once, with :func:`action` on its service: its name, its
label, the statuses it starts from, who may run it and the inputs it takes. The review page of
the member space, the API and :func:`available_actions` all read that table (``ACTIONS``);
each service checks the same declaration again once it holds the project's row lock, runs in
one transaction and appends a timeline event.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic_budget import phases
from civic_budget.errors import BudgetError
from civic_budget.models import INTERNAL, MEMBERS, PUBLIC, Milestone, Project, ProjectEvent
from civic_budget.money import format_money

REVIEW_PERMISSION = "civic_budget.review_project"
IMPLEMENTATION_PERMISSION = "civic_budget.manage_implementation"


def is_reviewer(user, project=None):
    if user is None or not user.is_authenticated:
        return False
    return user.has_perm(REVIEW_PERMISSION) or (
        project is not None and user.has_perm(REVIEW_PERMISSION, project)
    )


def can_manage_implementation(user, project=None):
    return user is not None and user.is_authenticated and user.has_perm(IMPLEMENTATION_PERMISSION)


def takes_part_in_dialogue(user, project):
    """The proposer and the reviewers talk about a project; nobody else reads it."""
    if is_reviewer(user, project):
        return True
    return user is not None and user.is_authenticated and project.proposer_id == user.pk


def visible_levels(user, project):
    """Timeline levels ``user`` may read for ``project``: the proposer takes part in the
    dialogue (members), reviewers see everything."""
    if is_reviewer(user, project):
        return (PUBLIC, MEMBERS, INTERNAL)
    if takes_part_in_dialogue(user, project):
        return (PUBLIC, MEMBERS)
    return (PUBLIC,)


# The table of actions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectAction:
    """One thing the city does to a project, as the review page, the API and the services see it.

    ``fields`` names the inputs :func:`perform` passes to ``run`` (the service); ``guard`` is a
    further condition on the project (a refusal message or ``None``); a ``system`` action may
    also run without an actor (the count declares outcomes).
    """

    name: str
    label: str
    statuses: tuple
    allowed: Callable  # (user, project) -> bool
    forbidden: str  # why someone not allowed is refused
    run: Callable
    fields: tuple = ()
    guard: Callable | None = None
    system: bool = False


ACTIONS: dict[str, ProjectAction] = {}


def action(name, label, statuses, allowed, forbidden, fields=(), guard=None, system=False):
    """Declare the decorated service as the action ``name`` of the table."""

    def register(service):
        ACTIONS[name] = ProjectAction(
            name, label, tuple(statuses), allowed, forbidden, service, tuple(fields), guard, system
        )
        return service

    return register


def refusal(declared, project, actor):
    """Why ``actor`` may not run ``declared`` on ``project`` now (a BudgetError), or None."""
    if actor is None:
        if not declared.system:
            return BudgetError(declared.forbidden, BudgetError.FORBIDDEN)
    elif not declared.allowed(actor, project):
        return BudgetError(declared.forbidden, BudgetError.FORBIDDEN)
    if project.status not in declared.statuses:
        return BudgetError(
            _("This is not possible while the project is “%(status)s”.")
            % {"status": project.get_status_display()},
            BudgetError.CONFLICT,
        )
    message = declared.guard(project) if declared.guard is not None else None
    return BudgetError(message, BudgetError.CONFLICT) if message else None


def available_actions(project, user):
    """The actions ``user`` may run on ``project`` now, in the order of the table."""
    return [declared for declared in ACTIONS.values() if refusal(declared, project, user) is None]


def get_action(name):
    try:
        return ACTIONS[name]
    except KeyError:
        raise BudgetError(_("There is no such action."), BudgetError.NOT_FOUND) from None


def perform(name, actor, project, data=None):
    """Run the action ``name`` with the inputs it declares; returns what its service returns."""
    declared = get_action(name)
    data = data or {}
    return declared.run(
        actor, project, **{field: data[field] for field in declared.fields if field in data}
    )


def _require(name, actor, project):
    error = refusal(ACTIONS[name], project, actor)
    if error is not None:
        raise error


def _record(project, actor, kind, message="", visibility=PUBLIC, from_status=""):
    return ProjectEvent.objects.create(
        project=project,
        actor=actor if actor is not None and actor.is_authenticated else None,
        kind=kind,
        from_status=from_status,
        to_status=project.status if from_status else "",
        message=message,
        visibility=visibility,
    )


def _locked(project):
    return Project.objects.select_for_update().select_related("process", "zone").get(pk=project.pk)


def _transition(project, actor, to_status, kind, message="", visibility=PUBLIC):
    from_status = project.status
    project.status = to_status
    project.save()
    _record(project, actor, kind, message, visibility, from_status=from_status)
    return project


REVIEWERS_ONLY = gettext_lazy("Only the city's reviewers may do this.")
MANAGERS_ONLY = gettext_lazy("Only the city's project managers may do this.")
MERGEABLE = (Project.SUBMITTED, Project.UNDER_REVIEW, Project.FEASIBLE)
EVERY_STATUS = tuple(status for status, _label in Project.STATUS_CHOICES)


# Ideas from residents ---------------------------------------------------------------------------


def submit_idea(user, process, zone, title, description, estimated_cost_cents, location=""):
    """A resident's idea, during the phase that takes ideas; it waits for moderation."""
    if not user.is_authenticated:
        raise BudgetError(_("Sign in to submit an idea."), BudgetError.FORBIDDEN)
    if not process.resident_may(phases.SUBMIT_IDEA):
        raise BudgetError(_("Ideas can be submitted only during the idea phase."))
    if zone.process_id != process.pk:
        raise BudgetError.for_field("zone", _("This zone belongs to another process."))
    if estimated_cost_cents <= 0:
        raise BudgetError.for_field(
            "estimated_cost_cents", _("The estimated cost must be positive.")
        )
    if estimated_cost_cents > zone.budget_cents:
        raise BudgetError.for_field(
            "estimated_cost_cents", _("The estimated cost exceeds the budget of the zone.")
        )
    with transaction.atomic():
        project = Project.objects.create(
            process=process,
            zone=zone,
            title=title.strip(),
            description=description.strip(),
            location=location.strip(),
            estimated_cost_cents=estimated_cost_cents,
            proposer=user,
        )
        _record(project, user, "submitted", _("Idea submitted."), PUBLIC)
    return project


# Review -----------------------------------------------------------------------------------------


@action(
    "moderate",
    gettext_lazy("Moderation"),
    [Project.SUBMITTED],
    is_reviewer,
    REVIEWERS_ONLY,
    fields=("accept", "reason"),
)
@transaction.atomic
def moderate(actor, project, accept, reason=""):
    project = _locked(project)
    _require("moderate", actor, project)
    if accept:
        return _transition(
            project, actor, Project.UNDER_REVIEW, "accepted", _("Idea accepted for review.")
        )
    if not reason.strip():
        raise BudgetError.for_field("reason", _("Give the public reason of the refusal."))
    project.public_reason = reason.strip()
    return _transition(project, actor, Project.REFUSED, "refused", project.public_reason)


def _during_the_review(project):
    # A review after the vote opens would change the cost of a project voters already judged,
    # and after the results it would rewrite what was counted.
    if project.process.phase() not in (phases.IDEAS, phases.REVIEW):
        return _("The feasibility review closes when the vote opens.")
    return None


@action(
    "review",
    gettext_lazy("Feasibility review"),
    [Project.UNDER_REVIEW, Project.FEASIBLE, Project.UNFEASIBLE],
    is_reviewer,
    REVIEWERS_ONLY,
    fields=("feasible", "reviewed_cost_cents", "reason"),
    guard=_during_the_review,
)
@transaction.atomic
def review(actor, project, feasible, reviewed_cost_cents=None, reason=""):
    project = _locked(project)
    _require("review", actor, project)
    if feasible:
        if reviewed_cost_cents is None or reviewed_cost_cents <= 0:
            raise BudgetError.for_field(
                "reviewed_cost_cents", _("A feasible project needs its reviewed cost.")
            )
        if reviewed_cost_cents > project.zone.budget_cents:
            raise BudgetError.for_field(
                "reviewed_cost_cents", _("The reviewed cost exceeds the budget of the zone.")
            )
        project.reviewed_cost_cents = reviewed_cost_cents
        project.public_reason = reason.strip()
        message = _("Feasible; reviewed cost %(cost)s.") % {
            "cost": format_money(reviewed_cost_cents)
        }
        if reason.strip():
            message = f"{message} {reason.strip()}"
        return _transition(project, actor, Project.FEASIBLE, "reviewed", message)
    if not reason.strip():
        raise BudgetError.for_field(
            "reason", _("Give the public reason why the project is unfeasible.")
        )
    project.public_reason = reason.strip()
    return _transition(project, actor, Project.UNFEASIBLE, "reviewed", project.public_reason)


def _before_the_vote(project):
    if project.process.phase() not in (phases.IDEAS, phases.REVIEW):
        return _("The ballot can change only before the vote opens.")
    return None


@action(
    "ballot",
    gettext_lazy("Ballot"),
    [Project.FEASIBLE],
    is_reviewer,
    REVIEWERS_ONLY,
    guard=_before_the_vote,
)
@transaction.atomic
def put_on_ballot(actor, project):
    project = _locked(project)
    _require("ballot", actor, project)
    return _transition(project, actor, Project.ON_BALLOT, "on_ballot", _("Put on the ballot."))


@action(
    "merge",
    gettext_lazy("Merge a duplicate"),
    MERGEABLE,
    is_reviewer,
    REVIEWERS_ONLY,
    fields=("into", "reason"),
)
@transaction.atomic
def merge(actor, project, into, reason=""):
    project = _locked(project)
    _require("merge", actor, project)
    into = _locked(into)
    if into.pk == project.pk or into.process_id != project.process_id:
        raise BudgetError.for_field("into", _("Choose another project of the same process."))
    if into.zone_id != project.zone_id:
        raise BudgetError.for_field("into", _("Only projects of the same zone can be merged."))
    if into.status not in (*MERGEABLE, Project.ON_BALLOT) or into.merged_into_id:
        raise BudgetError.for_field("into", _("The kept project cannot receive a merge."))
    project.merged_into = into
    project.public_reason = reason.strip()
    message = _("Merged into “%(title)s”.") % {"title": into.title}
    _transition(project, actor, Project.MERGED, "merged", f"{message} {reason}".strip())
    _record(
        into,
        actor,
        "absorbed",
        _("“%(title)s” was merged into this project.") % {"title": project.title},
    )
    return project


@action(
    "message",
    gettext_lazy("Dialogue with the proposer"),
    EVERY_STATUS,
    takes_part_in_dialogue,
    gettext_lazy("Only the proposer and the reviewers take part in this dialogue."),
    fields=("body",),
)
@transaction.atomic
def post_message(actor, project, body):
    """The dialogue between reviewers and the proposer (never public)."""
    project = _locked(project)
    _require("message", actor, project)
    if not body.strip():
        raise BudgetError.for_field("body", _("Write a message."))
    return _record(project, actor, "message", body.strip(), MEMBERS)


@action(
    "note",
    gettext_lazy("Internal note"),
    EVERY_STATUS,
    is_reviewer,
    REVIEWERS_ONLY,
    fields=("body",),
)
@transaction.atomic
def add_internal_note(actor, project, body):
    project = _locked(project)
    _require("note", actor, project)
    if not body.strip():
        raise BudgetError.for_field("body", _("Write a note."))
    return _record(project, actor, "note", body.strip(), INTERNAL)


# Results and implementation ---------------------------------------------------------------------


def _after_the_vote(project):
    if not phases.vote_has_closed(project.process.schedule, timezone.now()):
        return _("Results come after the vote closes.")
    return None


@action(
    "outcome",
    gettext_lazy("Outcome of the vote"),
    Project.BALLOT_STATUSES,
    can_manage_implementation,
    gettext_lazy("Only the city may declare results."),
    fields=("selected", "reason"),
    guard=_after_the_vote,
    system=True,
)
@transaction.atomic
def declare_outcome(actor, project, selected, reason=""):
    """Record whether a project on the ballot won (the count does it with no actor)."""
    project = _locked(project)
    _require("outcome", actor, project)
    project.public_reason = reason.strip()
    status = Project.SELECTED if selected else Project.NOT_SELECTED
    return _transition(project, actor, status, "outcome", reason.strip())


@action(
    "milestone",
    gettext_lazy("Plan a milestone"),
    [Project.SELECTED],
    can_manage_implementation,
    MANAGERS_ONLY,
    fields=("title", "due_date"),
)
@transaction.atomic
def add_milestone(actor, project, title, due_date=None):
    project = _locked(project)
    _require("milestone", actor, project)
    if not title.strip():
        raise BudgetError.for_field("title", _("Name the milestone."))
    milestone = Milestone.objects.create(project=project, title=title.strip(), due_date=due_date)
    _record(project, actor, "milestone_planned", milestone.title)
    return milestone


@transaction.atomic
def complete_milestone(actor, milestone, done_on):
    project = _locked(milestone.project)
    _require("complete", actor, project)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.done_on is not None:
        raise BudgetError(_("This milestone is already done."), BudgetError.CONFLICT)
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    _record(project, actor, "milestone_done", milestone.title)
    return milestone


@action(
    "complete",
    gettext_lazy("Milestone done"),
    [Project.SELECTED],
    can_manage_implementation,
    MANAGERS_ONLY,
    fields=("milestone", "done_on"),
)
def complete_project_milestone(actor, project, milestone, done_on):
    """:func:`complete_milestone`, for a milestone that must belong to ``project``."""
    if milestone.project_id != project.pk:
        raise BudgetError.for_field("milestone", _("This milestone belongs to another project."))
    return complete_milestone(actor, milestone, done_on)


@action(
    "progress",
    gettext_lazy("Progress"),
    [Project.SELECTED],
    can_manage_implementation,
    MANAGERS_ONLY,
    fields=("percent", "message"),
)
@transaction.atomic
def set_progress(actor, project, percent, message=""):
    project = _locked(project)
    _require("progress", actor, project)
    if not 0 <= percent <= 100:
        raise BudgetError.for_field("percent", _("Progress is a percentage between 0 and 100."))
    project.progress_percent = percent
    project.save(update_fields=["progress_percent"])
    text = _("Progress: %(percent)d %%.") % {"percent": percent}
    return _record(project, actor, "progress", f"{text} {message}".strip())

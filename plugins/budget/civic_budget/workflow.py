"""Every state change of a project: each function checks role, source state and phase, runs in
one transaction with the project row locked, and appends a timeline event."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_budget import phases
from civic_budget.errors import BudgetError
from civic_budget.models import INTERNAL, MEMBERS, PUBLIC, Milestone, Project, ProjectEvent

REVIEW_PERMISSION = "civic_budget.review_project"
IMPLEMENTATION_PERMISSION = "civic_budget.manage_implementation"


def is_reviewer(user, project=None):
    if not user.is_authenticated:
        return False
    return user.has_perm(REVIEW_PERMISSION) or (
        project is not None and user.has_perm(REVIEW_PERMISSION, project)
    )


def can_manage_implementation(user):
    return user.is_authenticated and user.has_perm(IMPLEMENTATION_PERMISSION)


def visible_levels(user, project):
    """Timeline levels ``user`` may read for ``project``: the proposer takes part in the
    dialogue (members), reviewers see everything."""
    if is_reviewer(user, project):
        return (PUBLIC, MEMBERS, INTERNAL)
    if user.is_authenticated and project.proposer_id == user.pk:
        return (PUBLIC, MEMBERS)
    return (PUBLIC,)


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


def _require_reviewer(actor, project):
    if not is_reviewer(actor, project):
        raise BudgetError(_("Only the city's reviewers may do this."), kind=BudgetError.FORBIDDEN)


def _require_status(project, *allowed):
    if project.status not in allowed:
        raise BudgetError(
            _("This is not possible while the project is “%(status)s”.")
            % {"status": project.get_status_display()},
            kind=BudgetError.CONFLICT,
        )


def _transition(project, actor, to_status, kind, message="", visibility=PUBLIC):
    from_status = project.status
    project.status = to_status
    project.save()
    _record(project, actor, kind, message, visibility, from_status=from_status)
    return project


def submit_idea(user, process, zone, title, description, estimated_cost_cents, location=""):
    if not user.is_authenticated:
        raise BudgetError(_("Sign in to submit an idea."), kind=BudgetError.FORBIDDEN)
    if process.phase() != phases.IDEAS:
        raise BudgetError(_("Ideas can be submitted only during the idea phase."))
    if zone.process_id != process.pk:
        raise BudgetError(_("This zone belongs to another process."), field="zone")
    if estimated_cost_cents <= 0:
        raise BudgetError(_("The estimated cost must be positive."), field="estimated_cost_cents")
    if estimated_cost_cents > zone.budget_cents:
        raise BudgetError(
            _("The estimated cost exceeds the budget of the zone."), field="estimated_cost_cents"
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


@transaction.atomic
def moderate(actor, project, accept, reason=""):
    project = _locked(project)
    _require_reviewer(actor, project)
    _require_status(project, Project.SUBMITTED)
    if accept:
        return _transition(
            project, actor, Project.UNDER_REVIEW, "accepted", _("Idea accepted for review.")
        )
    if not reason.strip():
        raise BudgetError(_("Give the public reason of the refusal."), field="reason")
    project.public_reason = reason.strip()
    return _transition(project, actor, Project.REFUSED, "refused", project.public_reason)


@transaction.atomic
def review(actor, project, feasible, reviewed_cost_cents=None, reason=""):
    project = _locked(project)
    _require_reviewer(actor, project)
    _require_status(project, Project.UNDER_REVIEW, Project.FEASIBLE, Project.UNFEASIBLE)
    if feasible:
        if reviewed_cost_cents is None or reviewed_cost_cents <= 0:
            raise BudgetError(
                _("A feasible project needs its reviewed cost."), field="reviewed_cost_cents"
            )
        if reviewed_cost_cents > project.zone.budget_cents:
            raise BudgetError(
                _("The reviewed cost exceeds the budget of the zone."),
                field="reviewed_cost_cents",
            )
        project.reviewed_cost_cents = reviewed_cost_cents
        project.public_reason = reason.strip()
        message = _("Feasible; reviewed cost %(cost)s.") % {
            "cost": format_euros(reviewed_cost_cents)
        }
        if reason.strip():
            message = f"{message} {reason.strip()}"
        return _transition(project, actor, Project.FEASIBLE, "reviewed", message)
    if not reason.strip():
        raise BudgetError(
            _("Give the public reason why the project is unfeasible."), field="reason"
        )
    project.public_reason = reason.strip()
    return _transition(project, actor, Project.UNFEASIBLE, "reviewed", project.public_reason)


@transaction.atomic
def merge(actor, project, into, reason=""):
    project = _locked(project)
    _require_reviewer(actor, project)
    mergeable = (Project.SUBMITTED, Project.UNDER_REVIEW, Project.FEASIBLE)
    _require_status(project, *mergeable)
    into = _locked(into)
    if into.pk == project.pk or into.process_id != project.process_id:
        raise BudgetError(_("Choose another project of the same process."), field="into")
    if into.zone_id != project.zone_id:
        raise BudgetError(_("Only projects of the same zone can be merged."), field="into")
    if into.status not in (*mergeable, Project.ON_BALLOT) or into.merged_into_id:
        raise BudgetError(_("The kept project cannot receive a merge."), field="into")
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


@transaction.atomic
def post_message(actor, project, body):
    """The dialogue between reviewers and the proposer (never public)."""
    project = _locked(project)
    if not (
        is_reviewer(actor, project) or (actor.is_authenticated and project.proposer_id == actor.pk)
    ):
        raise BudgetError(
            _("Only the proposer and the reviewers take part in this dialogue."),
            kind=BudgetError.FORBIDDEN,
        )
    if not body.strip():
        raise BudgetError(_("Write a message."), field="body")
    return _record(project, actor, "message", body.strip(), MEMBERS)


@transaction.atomic
def add_internal_note(actor, project, body):
    project = _locked(project)
    _require_reviewer(actor, project)
    if not body.strip():
        raise BudgetError(_("Write a note."), field="body")
    return _record(project, actor, "note", body.strip(), INTERNAL)


@transaction.atomic
def put_on_ballot(actor, project):
    project = _locked(project)
    _require_reviewer(actor, project)
    _require_status(project, Project.FEASIBLE)
    if project.process.phase() not in (phases.IDEAS, phases.REVIEW):
        raise BudgetError(
            _("The ballot can change only before the vote opens."), kind=BudgetError.CONFLICT
        )
    return _transition(project, actor, Project.ON_BALLOT, "on_ballot", _("Put on the ballot."))


@transaction.atomic
def declare_outcome(actor, project, selected, reason=""):
    """Record whether a project on the ballot won (normally from the counting)."""
    project = _locked(project)
    if actor is not None and not can_manage_implementation(actor):
        raise BudgetError(_("Only the city may declare results."), kind=BudgetError.FORBIDDEN)
    _require_status(project, Project.ON_BALLOT, Project.SELECTED, Project.NOT_SELECTED)
    if not phases.vote_has_closed(project.process.schedule, timezone.now()):
        raise BudgetError(_("Results come after the vote closes."), kind=BudgetError.CONFLICT)
    project.public_reason = reason.strip()
    status = Project.SELECTED if selected else Project.NOT_SELECTED
    return _transition(project, actor, status, "outcome", reason.strip())


def _require_implementation(actor, project):
    if not can_manage_implementation(actor):
        raise BudgetError(
            _("Only the city's project managers may do this."), kind=BudgetError.FORBIDDEN
        )
    _require_status(project, Project.SELECTED)


@transaction.atomic
def add_milestone(actor, project, title, due_date=None):
    project = _locked(project)
    _require_implementation(actor, project)
    if not title.strip():
        raise BudgetError(_("Name the milestone."), field="title")
    milestone = Milestone.objects.create(project=project, title=title.strip(), due_date=due_date)
    _record(project, actor, "milestone_planned", milestone.title)
    return milestone


@transaction.atomic
def complete_milestone(actor, milestone, done_on):
    project = _locked(milestone.project)
    _require_implementation(actor, project)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.done_on is not None:
        raise BudgetError(_("This milestone is already done."), kind=BudgetError.CONFLICT)
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    _record(project, actor, "milestone_done", milestone.title)
    return milestone


@transaction.atomic
def set_progress(actor, project, percent, message=""):
    project = _locked(project)
    _require_implementation(actor, project)
    if not 0 <= percent <= 100:
        raise BudgetError(_("Progress is a percentage between 0 and 100."), field="percent")
    project.progress_percent = percent
    project.save(update_fields=["progress_percent"])
    text = _("Progress: %(percent)d %%.") % {"percent": percent}
    return _record(project, actor, "progress", f"{text} {message}".strip())


def format_euros(cents):
    euros, rest = divmod(int(cents), 100)
    grouped = f"{euros:,}".replace(",", "\u202f")
    return f"{grouped},{rest:02d} €" if rest else f"{grouped} €"

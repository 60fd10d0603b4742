"""Who sees and does what, as querysets (object permissions through guardian's direct tables)."""

from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, Value, When
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from civic_budget import phases
from civic_budget.models import INTERNAL, MEMBERS, PUBLIC, PollingPlace, Project
from civic_budget.voting import PAPER_PERMISSION
from civic_budget.workflow import IMPLEMENTATION_PERMISSION, REVIEW_PERMISSION

# The date field of Process at which each phase starts (UPCOMING starts at the beginning).
PHASE_STARTS = {
    phases.IDEAS: "ideas_open",
    phases.REVIEW: "review_open",
    phases.VOTE: "vote_open",
    phases.COUNTING: "vote_close",
    phases.RESULTS: "results_published",
    phases.IMPLEMENTATION: "implementation_start",
}
# What the outcome of the vote reveals: the statuses it gives and the timeline events it starts.
OUTCOME_STATUSES = (Project.SELECTED, Project.NOT_SELECTED)
OUTCOME_EVENT_KINDS = ("outcome", "milestone_planned", "milestone_done", "progress")


def resident_may_q(action, now=None, prefix=""):
    """A Q over Process (through ``prefix``) true where ``Process.resident_may(action, now)``
    is: the table of ``phases.RESIDENT_ACTIONS`` in SQL, so a list asks it in its own query."""
    now = now or timezone.now()
    allowed = Q(pk__in=[])
    for index, phase in enumerate(phases.PHASE_ORDER):
        if action not in phases.RESIDENT_ACTIONS[phase]:
            continue
        during = Q()
        if phase in PHASE_STARTS:
            during &= Q(**{f"{prefix}{PHASE_STARTS[phase]}__lte": now})
        if index + 1 < len(phases.PHASE_ORDER):
            during &= Q(**{f"{prefix}{PHASE_STARTS[phases.PHASE_ORDER[index + 1]]}__gt": now})
        allowed |= during
    return allowed


def outcome_hidden(user, prefix="", now=None):
    """A Q over Project (through ``prefix``): the projects whose outcome ``user`` may not know.

    While the votes are counted, residents must not learn who won: a project already declared
    selected or not selected still reads as on the ballot, without its reason, its outcome
    events or its implementation, until the phase lets residents see the results
    (``phases.SEE_RESULTS``). The city's reviewers and project managers see it all. The list
    and detail pages, the API serializers and filters, and the timelines all ask this.
    """
    if user is not None and user.is_authenticated:
        if user.has_perm(REVIEW_PERMISSION) or user.has_perm(IMPLEMENTATION_PERMISSION):
            return Q(pk__in=[])
    return Q(**{f"{prefix}status__in": OUTCOME_STATUSES}) & ~resident_may_q(
        phases.SEE_RESULTS, now, prefix=f"{prefix}process__"
    )


def with_outcomes_for(projects, user):
    """``projects`` annotated with ``shown_status`` and ``outcome_hidden`` for ``user``."""
    hidden = outcome_hidden(user)
    return projects.annotate(
        shown_status=Case(When(hidden, then=Value(Project.ON_BALLOT)), default=F("status")),
        outcome_hidden=ExpressionWrapper(hidden, output_field=BooleanField()),
    )


def hidden_outcome_events(user):
    """A Q over ProjectEvent: the events that would tell ``user`` a hidden outcome."""
    return Q(kind__in=OUTCOME_EVENT_KINDS) & outcome_hidden(user, prefix="project__")


def polling_places_for(user):
    """The polling places where ``user`` may enter and confirm paper ballots."""
    if not user.is_authenticated:
        return PollingPlace.objects.none()
    return get_objects_for_user(
        user, PAPER_PERMISSION, PollingPlace.objects.all(), accept_global_perms=False
    )


def projects_for(user):
    """Public projects, plus the user's own ideas, plus everything the user reviews; each
    annotated with what the user may know of its outcome (:func:`with_outcomes_for`)."""
    return with_outcomes_for(_visible_projects(user), user)


def _visible_projects(user):
    base = Project.objects.all()
    if not user.is_authenticated:
        return base.public()
    if user.has_perm(REVIEW_PERMISSION):
        return base
    reviewed = get_objects_for_user(
        user, REVIEW_PERMISSION, Project.objects.all(), accept_global_perms=False
    ).values("pk")
    return base.filter(~Q(status__in=Project.NOT_PUBLIC) | Q(proposer=user) | Q(pk__in=reviewed))


def reviewable_projects(user):
    if not user.is_authenticated:
        return Project.objects.none()
    return get_objects_for_user(user, REVIEW_PERMISSION, Project.objects.all())


def event_levels_filter(user):
    """A Q over ProjectEvent: what ``user`` may read of the timelines (never a hidden outcome)."""
    return _event_levels(user) & ~hidden_outcome_events(user)


def _event_levels(user):
    if user.is_authenticated and user.has_perm(REVIEW_PERMISSION):
        return Q(visibility__in=(PUBLIC, MEMBERS, INTERNAL))
    if not user.is_authenticated:
        return Q(visibility=PUBLIC)
    reviewed = get_objects_for_user(
        user, REVIEW_PERMISSION, Project.objects.all(), accept_global_perms=False
    ).values("pk")
    return (
        Q(visibility=PUBLIC)
        | Q(visibility=MEMBERS, project__proposer=user)
        | Q(project__in=reviewed)
    )

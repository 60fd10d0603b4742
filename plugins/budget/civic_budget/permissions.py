"""Who sees and does what, as querysets (object permissions through guardian's direct tables)."""

from django.db.models import Q
from guardian.shortcuts import get_objects_for_user

from civic_budget.models import INTERNAL, MEMBERS, PUBLIC, PollingPlace, Project
from civic_budget.voting import PAPER_PERMISSION
from civic_budget.workflow import REVIEW_PERMISSION


def polling_places_for(user):
    """The polling places where ``user`` may enter and confirm paper ballots."""
    if not user.is_authenticated:
        return PollingPlace.objects.none()
    return get_objects_for_user(
        user, PAPER_PERMISSION, PollingPlace.objects.all(), accept_global_perms=False
    )


def projects_for(user):
    """Public projects, plus the user's own ideas, plus everything the user reviews."""
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
    """A Q over ProjectEvent: what ``user`` may read of the timelines."""
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

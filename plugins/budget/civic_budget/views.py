"""What the routes of :class:`~civic_budget.models.BudgetPage` answer: the public pages.

Each view validates input with a form and calls a service; what residents may see or do in the
current phase is asked of ``Process.resident_may`` (the table in :mod:`civic_budget.phases`).
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from civic_budget import forms, money, permissions, phases, turnout, voting, workflow
from civic_budget.errors import BudgetError
from civic_budget.models import MEMBERS, Milestone, Project, ProjectEvent
from civic_core.identity import verified_identity
from civic_core.signin import login_url

PROJECTS_PER_PAGE = 12
SUBPAGES = ("submit", "projects", "vote", "turnout", "results", "implementation")


def login_redirect(request):
    """Send ``request`` to sign in, and back here afterwards (``next``)."""
    return redirect_to_login(request.get_full_path(), login_url())


def page_context(page, request):
    """What every template of the page needs: the process, its phase and the links shown."""
    process = page.process
    return {
        "process": process,
        "phase": process.phase(),
        "zones": process.zones.all(),
        "budget_page": page,
        "currency": money.currency(),
        "may_submit": process.resident_may(phases.SUBMIT_IDEA),
        "may_vote": process.resident_may(phases.CAST_VOTE),
        "may_see_results": process.resident_may(phases.SEE_RESULTS),
        "may_see_turnout": turnout.may_see_turnout(request.user, process),
        "links": {name: page.url + page.reverse_subpage(name) for name in SUBPAGES},
    }


def _render(page, request, template, **extra):
    context = page.get_context(request)
    context.update(extra)
    return TemplateResponse(request, f"civic_budget/{template}", context)


def project_url(page, project):
    return page.url + page.reverse_subpage("project", args=[project.pk])


def as_known(project):
    """``project`` as the reader may know it (annotated by ``permissions.projects_for``): a
    hidden outcome reads as on the ballot, with no reason, milestones or progress. The object
    is only displayed, never saved."""
    if getattr(project, "outcome_hidden", False):
        project.status = project.shown_status
        project.public_reason = ""
        project.progress_percent = 0
        project.hidden_milestones = True
    return project


def overview(page, request):
    return _render(page, request, "budget_page.html")


def submit_idea(page, request):
    if not request.user.is_authenticated:
        return login_redirect(request)
    form = forms.IdeaForm(page.process, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = workflow.submit_idea(
                request.user,
                page.process,
                data["zone"],
                data["title"],
                data["description"],
                data["estimated_cost"],
                data["location"],
            )
        except BudgetError as error:
            forms.add_error(form, error)
        else:
            messages.success(request, _("Thank you: your idea was received and awaits moderation."))
            return redirect(project_url(page, project))
    return _render(page, request, "idea_form.html", form=form)


def projects(page, request):
    queryset = (
        permissions.projects_for(request.user)
        .filter(process=page.process)
        .select_related("zone")
        .order_by("zone__kind", "zone__name", "title")
    )
    zone = request.GET.get("zone", "")
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()
    if zone.isdigit():
        queryset = queryset.filter(zone_id=int(zone))
    if status in dict(Project.STATUS_CHOICES):
        # What the resident may know: a hidden outcome still reads as "on the ballot".
        queryset = queryset.filter(shown_status=status)
    if query:
        queryset = queryset.filter(
            Q(title__icontains=query)
            | Q(description__icontains=query)
            | Q(location__icontains=query)
        )
    listed = Paginator(queryset, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    listed.object_list = [as_known(item) for item in listed.object_list]
    filters = request.GET.copy()
    filters.pop("page", None)
    return _render(
        page,
        request,
        "project_list.html",
        projects=listed,
        statuses=Project.STATUS_CHOICES,
        selected_zone=zone,
        selected_status=status,
        query=query,
        filter_query=filters.urlencode(),
    )


def project(page, request, pk):
    found = (
        permissions.projects_for(request.user)
        .filter(process=page.process, pk=pk)
        .select_related("zone", "merged_into")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("pk")))
        .first()
    )
    if found is None:
        raise Http404
    as_known(found)
    levels = workflow.visible_levels(request.user, found)
    may_talk = MEMBERS in levels
    form = forms.MessageForm(request.POST or None) if may_talk else None
    if request.method == "POST":
        if not may_talk:
            raise PermissionDenied
        if form.is_valid():
            try:
                workflow.post_message(request.user, found, form.cleaned_data["body"])
            except BudgetError as error:
                forms.add_error(form, error)
            else:
                messages.success(request, _("Your message was sent."))
                return redirect(request.path)
    events = (
        ProjectEvent.objects.filter(project=found, visibility__in=levels)
        .exclude(permissions.hidden_outcome_events(request.user))
        .order_by("created_at", "pk")
    )
    return _render(
        page, request, "project_detail.html", project=found, events=events, message_form=form
    )


def vote(page, request):
    if not request.user.is_authenticated:
        return login_redirect(request)
    process = page.process
    on_ballot = (
        Project.objects.on_ballot().filter(process=process).select_related("zone").order_by("title")
    )
    current = voting.current_ballot(request.user, process)
    initial = {}
    if current is not None:
        initial["zone"] = current.zone_id
        initial.update({f"project_{c.project_id}": c.points for c in current.counted_choices})
    verified = verified_identity(request)
    form = forms.DeclarationForm(
        process, on_ballot, request.POST or None, initial=initial, verified=verified
    )
    refusals = []
    if request.method == "POST" and form.is_valid():
        try:
            outcome = voting.submit_online_ballot(
                request.user, process, form.declaration(), form.choices(), verified=verified
            )
        except BudgetError as error:
            refusals = error.reasons
        else:
            return _render(page, request, "ballot_confirmation.html", outcome=outcome)
    return _render(
        page,
        request,
        "ballot.html",
        form=form,
        sections=form.bound_sections(),
        refusals=refusals,
        current=current,
    )


def turnout_view(page, request):
    if not turnout.may_see_turnout(request.user, page.process):
        raise PermissionDenied
    return _render(
        page,
        request,
        "turnout.html",
        turnout_zones=turnout.compute_turnout(page.process),
        live=not page.process.resident_may(phases.SEE_TURNOUT),
    )


def results(page, request):
    """Tallies and outcomes per zone, once the phase lets residents see the results."""
    process = page.process
    if not process.resident_may(phases.SEE_RESULTS):
        return _render(page, request, "results.html", not_yet=True)
    on_ballot = (
        Project.objects.on_ballot()
        .filter(process=process)
        .select_related("zone")
        .annotate(votes=Count("ballot_choices"), points=Sum("ballot_choices__points"))
        .order_by("zone__kind", "zone__name", "-points", "title")
    )
    counted = {result.zone_id: result for result in process.results.all()}
    zones = []
    for zone in process.zones.all():
        zone_projects = [item for item in on_ballot if item.zone_id == zone.pk]
        result = counted.get(zone.pk)
        for item in zone_projects:
            item.greedy_selected = result is not None and str(item.pk) in result.greedy_winners
        zones.append({"zone": zone, "projects": zone_projects, "result": result})
    return _render(
        page,
        request,
        "results.html",
        zone_results=zones,
        turnout_zones=turnout.compute_turnout(process),
    )


def implementation(page, request):
    """The selected projects and their progress, once the results are public."""
    if not page.process.resident_may(phases.SEE_RESULTS):
        return _render(page, request, "implementation.html", projects=[])
    selected = (
        Project.objects.filter(process=page.process, status=Project.SELECTED)
        .select_related("zone")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("pk")))
        .order_by("zone__name", "title")
    )
    return _render(page, request, "implementation.html", projects=selected)

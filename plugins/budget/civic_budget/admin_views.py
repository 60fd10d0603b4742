"""Member-space views that act on projects and paper ballots through the services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from civic_budget import contests, forms, pabulib_export, permissions, voting, workflow
from civic_budget.errors import BudgetError
from civic_budget.models import IdentityContest, PaperBallotEntry, Process, ProjectEvent
from civic_core import admin_urls


def review_project(request, pk):
    """One project in the member space: a form for each action the table offers the user now.

    A posted action runs through ``workflow.perform``: the table says what the user may do, the
    service refuses anything else with its reason, shown on the form.
    """
    project = get_object_or_404(permissions.reviewable_projects(request.user), pk=pk)
    user = request.user
    posted = request.POST.get("action") if request.method == "POST" else None
    if posted is not None and posted not in workflow.ACTIONS:
        raise Http404
    bound = None
    if posted is not None:
        bound = forms.ACTION_FORMS[posted](project, request.POST)
        if bound.is_valid():
            try:
                workflow.perform(posted, user, project, bound.action_data())
            except BudgetError as error:
                forms.add_error(bound, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(request.path)
        project.refresh_from_db()
    actions = [
        {
            "action": declared,
            "form": bound
            if declared.name == posted
            else forms.ACTION_FORMS[declared.name](project),
        }
        for declared in workflow.available_actions(project, user)
    ]
    if posted is not None and all(entry["action"].name != posted for entry in actions):
        # The refused action is no longer offered: keep its form to show why.
        actions.insert(0, {"action": workflow.ACTIONS[posted], "form": bound})
    return TemplateResponse(
        request,
        "civic_budget/admin/review.html",
        {
            "project": project,
            "actions": actions,
            "events": ProjectEvent.objects.filter(project=project).select_related("actor"),
            "header_title": project.title,
        },
    )


def paper_ballots(request):
    """The agent's polling places, their entries awaiting confirmation, and the entry form."""
    places = permissions.polling_places_for(request.user).select_related("process")
    if not places:
        raise PermissionDenied
    place = places.filter(pk=request.GET.get("place") or request.POST.get("place")).first()
    place = place or places.first()
    process = place.process
    projects = process.projects.on_ballot().select_related("zone").order_by("title")
    form = forms.DeclarationForm(process, projects, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            voting.enter_paper_ballot(request.user, place, form.declaration(), form.choices())
        except BudgetError as error:
            forms.add_error(form, error)
        else:
            messages.success(request, _("Entered: a second agent must now type it again."))
            return redirect(f"{reverse('civic_budget_paper')}?place={place.pk}")
    pending = PaperBallotEntry.objects.filter(
        polling_place=place, status=PaperBallotEntry.AWAITING
    ).select_related("entered_by")
    return TemplateResponse(
        request,
        "civic_budget/admin/paper_ballots.html",
        {
            "places": places,
            "place": place,
            "form": form,
            "sections": form.bound_sections(),
            "pending": pending,
            "header_title": _("Paper ballots"),
        },
    )


def confirm_paper_ballot(request, pk):
    places = permissions.polling_places_for(request.user)
    entry = get_object_or_404(PaperBallotEntry.objects.filter(polling_place__in=places), pk=pk)
    process = entry.process
    projects = process.projects.on_ballot().select_related("zone").order_by("title")
    form = forms.DeclarationForm(process, projects, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            voting.confirm_paper_ballot(request.user, entry, form.declaration(), form.choices())
        except BudgetError as error:
            forms.add_error(form, error)
        else:
            messages.success(request, _("Both entries match: the paper ballot is counted."))
            return redirect(f"{reverse('civic_budget_paper')}?place={entry.polling_place_id}")
    return TemplateResponse(
        request,
        "civic_budget/admin/paper_confirm.html",
        {
            "entry": entry,
            "form": form,
            "sections": form.bound_sections(),
            "header_title": _("Confirm a paper ballot"),
        },
    )


def decide_contest(request, pk):
    """An identity contest: uphold it (annul the contested ballot) or dismiss it, with a note."""
    if not contests.may_decide(request.user):
        raise PermissionDenied
    contest = get_object_or_404(
        IdentityContest.objects.select_related("process", "claimant"), pk=pk
    )
    form = forms.ContestDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contests.decide_contest(
                request.user,
                contest,
                form.cleaned_data["decision"] == forms.ContestDecisionForm.UPHOLD,
                form.cleaned_data["note"],
            )
        except BudgetError as error:
            forms.add_error(form, error)
        else:
            messages.success(request, _("Decided."))
            return redirect(reverse("civic_budget_contest", args=[contest.pk]))
    return TemplateResponse(
        request,
        "civic_budget/admin/contest.html",
        {"contest": contest, "form": form, "header_title": _("Identity contest")},
    )


def export_pabulib(request, pk):
    """The counted process as pabulib files (a zip): anonymised ballots, projects, rule."""
    process = get_object_or_404(Process, pk=pk)
    try:
        name, data = pabulib_export.export_for(request.user, process)
    except BudgetError as error:
        if error.code == BudgetError.FORBIDDEN:
            raise PermissionDenied from None
        messages.error(request, error.message)
        return redirect(admin_urls.index_url(Process))
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def contest_url(contest):
    return reverse("civic_budget_contest", args=[contest.pk])


def is_polling_agent(user):
    return permissions.polling_places_for(user).exists()


def project_review_url(project):
    """The review page of ``project`` in the member space."""
    return reverse("civic_budget_review", args=[project.pk])

"""Member-space views that act on projects and paper ballots through the services."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from civic_budget import forms, permissions, voting, workflow
from civic_budget.errors import BudgetError
from civic_budget.models import PaperBallotEntry, ProjectEvent


def _apply(request, form, service, *args):
    try:
        service(*args)
    except BudgetError as error:
        for message in error.messages:
            form.add_error(None, message)
        return False
    return True


def review_project(request, pk):
    """Moderation, feasibility, merge, ballot and dialogue for one project."""
    project = get_object_or_404(permissions.reviewable_projects(request.user), pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    data = request.POST if request.method == "POST" else None
    moderation = forms.ModerationForm(data if action == "moderate" else None, prefix="moderate")
    review = forms.ReviewForm(data if action == "review" else None, prefix="review")
    merge = forms.MergeForm(project, data if action == "merge" else None, prefix="merge")
    message = forms.MessageForm(data if action in ("message", "note") else None, prefix="message")
    ballot = forms.forms.Form(data if action == "ballot" else None)
    milestone = forms.MilestoneForm(data if action == "milestone" else None, prefix="milestone")
    progress = forms.ProgressForm(data if action == "progress" else None, prefix="progress")
    done = False
    user = request.user
    if action == "moderate" and moderation.is_valid():
        accept = moderation.cleaned_data["decision"] == "accept"
        reason = moderation.cleaned_data["reason"]
        done = _apply(request, moderation, workflow.moderate, user, project, accept, reason)
    elif action == "review" and review.is_valid():
        cleaned = review.cleaned_data
        done = _apply(
            request,
            review,
            workflow.review,
            user,
            project,
            cleaned["feasible"],
            cleaned["reviewed_cost"],
            cleaned["reason"],
        )
    elif action == "merge" and merge.is_valid():
        cleaned = merge.cleaned_data
        done = _apply(
            request, merge, workflow.merge, user, project, cleaned["into"], cleaned["reason"]
        )
    elif action in ("message", "note") and message.is_valid():
        service = workflow.post_message if action == "message" else workflow.add_internal_note
        done = _apply(request, message, service, user, project, message.cleaned_data["body"])
    elif action == "ballot":
        ballot.is_valid()
        done = _apply(request, ballot, workflow.put_on_ballot, user, project)
    elif action == "milestone" and milestone.is_valid():
        cleaned = milestone.cleaned_data
        done = _apply(
            request,
            milestone,
            workflow.add_milestone,
            user,
            project,
            cleaned["title"],
            cleaned["due_date"],
        )
    elif action == "complete":
        done_milestone = get_object_or_404(project.milestones, pk=request.POST.get("milestone"))
        done = _apply(
            request, milestone, workflow.complete_milestone, user, done_milestone, date.today()
        )
    elif action == "progress" and progress.is_valid():
        cleaned = progress.cleaned_data
        done = _apply(
            request,
            progress,
            workflow.set_progress,
            user,
            project,
            cleaned["percent"],
            cleaned["message"],
        )
    if done:
        messages.success(request, _("Saved."))
        return redirect(request.path)
    project.refresh_from_db()
    return TemplateResponse(
        request,
        "civic_budget/admin/review.html",
        {
            "project": project,
            "events": ProjectEvent.objects.filter(project=project).select_related("actor"),
            "moderation_form": moderation,
            "review_form": review,
            "merge_form": merge,
            "message_form": message,
            "ballot_form": ballot,
            "milestone_form": milestone,
            "progress_form": progress,
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
            for message in error.messages:
                form.add_error(None, message)
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
            for message in error.messages:
                form.add_error(None, message)
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


def is_polling_agent(user):
    return permissions.polling_places_for(user).exists()


def project_review_url(project):
    return reverse("civic_budget_review", args=[project.pk])

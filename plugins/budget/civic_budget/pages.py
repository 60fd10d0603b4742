"""The public space of a process: a routable page an editor places in the tree."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from civic_budget import forms, permissions, phases, turnout, voting, workflow
from civic_budget.errors import BudgetError
from civic_budget.models import Milestone, Process, Project, ProjectEvent

PROJECTS_PER_PAGE = 12


class BudgetPage(RoutablePageMixin, Page):
    process = models.ForeignKey(
        Process,
        on_delete=models.PROTECT,
        related_name="pages",
        verbose_name=gettext_lazy("budget process"),
    )
    intro = RichTextField(gettext_lazy("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("process"), FieldPanel("intro")]
    api_fields = [APIField("process"), APIField("intro")]
    template = "civic_budget/budget_page.html"

    class Meta:
        verbose_name = gettext_lazy("participatory budget page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        process = self.process
        context.update(
            process=process,
            phase=process.phase(),
            zones=process.zones.all(),
            budget_page=self,
            may_submit=process.phase() == phases.IDEAS,
            may_vote=process.phase() == phases.VOTE,
            vote_closed=phases.vote_has_closed(process.schedule, timezone.now()),
            links={
                name: self.url + self.reverse_subpage(name)
                for name in ("submit", "projects", "vote", "turnout", "results", "implementation")
            },
            may_see_turnout=turnout.may_see_turnout(request.user, process),
        )
        return context

    def _render(self, request, template, **extra):
        context = self.get_context(request)
        context.update(extra)
        return TemplateResponse(request, f"civic_budget/{template}", context)

    @path("")
    def overview(self, request):
        return self._render(request, "budget_page.html")

    @path("proposer/", name="submit")
    def submit_idea(self, request):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        form = forms.IdeaForm(self.process, request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                project = workflow.submit_idea(
                    request.user,
                    self.process,
                    data["zone"],
                    data["title"],
                    data["description"],
                    data["estimated_cost"],
                    data["location"],
                )
            except BudgetError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request, _("Thank you: your idea was received and awaits moderation.")
                )
                return redirect(self.url + self.reverse_subpage("project", args=[project.pk]))
        return self._render(request, "idea_form.html", form=form)

    @path("projets/", name="projects")
    def projects(self, request):
        queryset = (
            permissions.projects_for(request.user)
            .filter(process=self.process)
            .select_related("zone")
            .order_by("zone__kind", "zone__name", "title")
        )
        zone = request.GET.get("zone", "")
        status = request.GET.get("status", "")
        query = request.GET.get("q", "").strip()
        if zone.isdigit():
            queryset = queryset.filter(zone_id=int(zone))
        if status in dict(Project.STATUS_CHOICES):
            queryset = queryset.filter(status=status)
        if query:
            queryset = queryset.filter(
                Q(title__icontains=query)
                | Q(description__icontains=query)
                | Q(location__icontains=query)
            )
        page = Paginator(queryset, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
        filters = request.GET.copy()
        filters.pop("page", None)
        return self._render(
            request,
            "project_list.html",
            projects=page,
            statuses=Project.STATUS_CHOICES,
            selected_zone=zone,
            selected_status=status,
            query=query,
            filter_query=filters.urlencode(),
        )

    @path("projets/<int:pk>/", name="project")
    def project(self, request, pk):
        project = (
            permissions.projects_for(request.user)
            .filter(process=self.process, pk=pk)
            .select_related("zone", "merged_into")
            .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("pk")))
            .first()
        )
        if project is None:
            raise Http404
        levels = workflow.visible_levels(request.user, project)
        may_talk = "members" in levels
        form = forms.MessageForm(request.POST or None) if may_talk else None
        if request.method == "POST":
            if not may_talk:
                raise PermissionDenied
            if form.is_valid():
                try:
                    workflow.post_message(request.user, project, form.cleaned_data["body"])
                except BudgetError as error:
                    form.add_error(None, " ".join(error.messages))
                else:
                    messages.success(request, _("Your message was sent."))
                    return redirect(request.path)
        events = ProjectEvent.objects.filter(project=project, visibility__in=levels).order_by(
            "created_at", "pk"
        )
        return self._render(
            request, "project_detail.html", project=project, events=events, message_form=form
        )

    @path("voter/", name="vote")
    def vote(self, request):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        process = self.process
        projects = (
            Project.objects.on_ballot()
            .filter(process=process)
            .select_related("zone")
            .order_by("title")
        )
        current = voting.current_ballot(request.user, process)
        initial = {}
        if current is not None:
            initial["zone"] = current.zone_id
            initial.update({f"project_{c.project_id}": c.points for c in current.counted_choices})
        form = forms.DeclarationForm(process, projects, request.POST or None, initial=initial)
        refusals = []
        if request.method == "POST" and form.is_valid():
            try:
                outcome = voting.submit_online_ballot(
                    request.user, process, form.declaration(), form.choices()
                )
            except BudgetError as error:
                refusals = error.messages
            else:
                return self._render(request, "ballot_confirmation.html", outcome=outcome)
        return self._render(
            request,
            "ballot.html",
            form=form,
            sections=form.bound_sections(),
            refusals=refusals,
            current=current,
        )

    @path("participation/", name="turnout")
    def turnout(self, request):
        if not turnout.may_see_turnout(request.user, self.process):
            raise PermissionDenied
        return self._render(
            request, "turnout.html", turnout_zones=turnout.compute_turnout(self.process)
        )

    @path("resultats/", name="results")
    def results(self, request):
        if not phases.vote_has_closed(self.process.schedule, timezone.now()):
            return self._render(request, "results.html", not_yet=True)
        projects = (
            Project.objects.on_ballot()
            .filter(process=self.process)
            .select_related("zone")
            .annotate(votes=Count("ballot_choices"), points=Sum("ballot_choices__points"))
            .order_by("zone__kind", "zone__name", "-points", "title")
        )
        counted = {result.zone_id: result for result in self.process.results.all()}
        zones = []
        for zone in self.process.zones.all():
            zone_projects = [project for project in projects if project.zone_id == zone.pk]
            result = counted.get(zone.pk)
            for project in zone_projects:
                project.greedy_selected = (
                    result is not None and str(project.pk) in result.greedy_winners
                )
            zones.append({"zone": zone, "projects": zone_projects, "result": result})
        return self._render(
            request,
            "results.html",
            zone_results=zones,
            turnout_zones=turnout.compute_turnout(self.process),
        )

    @path("realisation/", name="implementation")
    def implementation(self, request):
        projects = (
            Project.objects.filter(process=self.process, status=Project.SELECTED)
            .select_related("zone")
            .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("pk")))
            .order_by("zone__name", "title")
        )
        return self._render(request, "implementation.html", projects=projects)

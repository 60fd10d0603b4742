"""The public space of a process: a routable page an editor places in the tree.

The page only routes: each route hands the request to :mod:`civic_budget.views`, loaded
when the route runs, so that importing the models never loads forms, views or services.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from civic_budget.app_settings import app_settings
from civic_budget.models.process import Process

# The sub-page paths (CIVIC_BUDGET_ROUTES), read once when the models load.
ROUTES = app_settings.ROUTES


def _views():
    from civic_budget import views

    return views


class BudgetPage(RoutablePageMixin, Page):
    process = models.ForeignKey(
        Process,
        on_delete=models.PROTECT,
        related_name="pages",
        verbose_name=_("budget process"),
    )
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("process"), FieldPanel("intro")]
    api_fields = [APIField("process"), APIField("intro")]
    template = "civic_budget/budget_page.html"

    class Meta:
        verbose_name = _("participatory budget page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(_views().page_context(self, request))
        return context

    @path("")
    def overview(self, request):
        return _views().overview(self, request)

    @path(ROUTES["submit"], name="submit")
    def submit_idea(self, request):
        return _views().submit_idea(self, request)

    @path(ROUTES["projects"], name="projects")
    def projects(self, request):
        return _views().projects(self, request)

    @path(ROUTES["projects"] + "<int:pk>/", name="project")
    def project(self, request, pk):
        return _views().project(self, request, pk)

    @path(ROUTES["vote"], name="vote")
    def vote(self, request):
        return _views().vote(self, request)

    @path(ROUTES["turnout"], name="turnout")
    def turnout(self, request):
        return _views().turnout_view(self, request)

    @path(ROUTES["results"], name="results")
    def results(self, request):
        return _views().results(self, request)

    @path(ROUTES["implementation"], name="implementation")
    def implementation(self, request):
        return _views().implementation(self, request)

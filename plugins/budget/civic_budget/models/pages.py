"""The public space of a process: a routable page an editor places in the tree.

The page only routes: each route hands the request to :mod:`civic_budget.views`, loaded
when the route runs, so that importing the models never loads forms, views or services.

The sub-pages' slugs are in the site's language (``civic_core.routes.site_slug``): ``projects/``
in an English site, ``projets/`` in a French one, whatever the visitor's language, so a link one
resident shares works for every other. A city renames them in its own translation catalogue;
links are always built by route name.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from civic_budget.models.process import Process
from civic_core.routes import site_slug


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

    # Translators: a URL segment; keep the slash.
    @path(site_slug(gettext_noop("propose/")), name="submit")
    def submit_idea(self, request):
        return _views().submit_idea(self, request)

    # Translators: a URL segment; keep the slash.
    @path(site_slug(gettext_noop("projects/")), name="projects")
    def projects(self, request):
        return _views().projects(self, request)

    # Translators: a URL segment; keep "<int:pk>" and the slashes.
    @path(site_slug(gettext_noop("projects/<int:pk>/")), name="project")
    def project(self, request, pk):
        return _views().project(self, request, pk)

    # Translators: a URL segment; keep the slash.
    @path(site_slug(gettext_noop("vote/")), name="vote")
    def vote(self, request):
        return _views().vote(self, request)

    # Translators: a URL segment; keep the slash.
    @path(site_slug(gettext_noop("turnout/")), name="turnout")
    def turnout(self, request):
        return _views().turnout_view(self, request)

    # Translators: a URL segment; keep the slash.
    @path(site_slug(gettext_noop("results/")), name="results")
    def results(self, request):
        return _views().results(self, request)

    # Translators: a URL segment; keep the slash.
    @path(site_slug(gettext_noop("implementation/")), name="implementation")
    def implementation(self, request):
        return _views().implementation(self, request)

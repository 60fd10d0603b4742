"""The consultation page an editor places in the page tree.

One routable page serves the landing (question, live counters), proposing, voting and the
results. Each route hands the request to :mod:`civic_consultation.views`, loaded when a route
runs: importing the models never loads the forms, the views or the services.

The sub-routes' slugs are in the site's language (``civic_core.routes.site_slug``):
``propose/`` in an English site, ``proposer/`` in a French one, whatever the visitor's language.
A city renames them in its own translation catalogue; links are always built by route name.
"""

from django.db import models
from django.utils.translation import gettext_lazy, gettext_noop
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from civic_core.routes import site_slug


class ConsultationPage(RoutablePageMixin, Page):
    consultation = models.ForeignKey(
        "civic_consultation.Consultation",
        on_delete=models.PROTECT,
        related_name="pages",
        verbose_name=gettext_lazy("consultation"),
    )
    intro = RichTextField(gettext_lazy("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("consultation"), FieldPanel("intro")]
    api_fields = [APIField("consultation"), APIField("intro")]
    template = "civic_consultation/landing.html"

    class Meta:
        verbose_name = gettext_lazy("consultation page")

    def routes(self):
        """The URLs of the page's routes, by route name."""
        base = self.url or "/"
        return {
            "landing": base,
            "propose": base + self.reverse_subpage("propose"),
            "vote": base + self.reverse_subpage("vote"),
            "results": base + self.reverse_subpage("results"),
        }

    @path("")
    def landing(self, request):
        from civic_consultation import views

        return views.landing(self, request)

    # Translators: a URL segment; keep the slash.
    @path(site_slug(gettext_noop("propose/")), name="propose")
    def propose(self, request):
        from civic_consultation import views

        return views.propose(self, request)

    # Translators: a URL segment; keep the slash.
    @path(site_slug(gettext_noop("vote/")), name="vote")
    def vote(self, request):
        from civic_consultation import views

        return views.vote(self, request)

    # Translators: a URL segment; keep the slash.
    @path(site_slug(gettext_noop("results/")), name="results")
    def results(self, request):
        from civic_consultation import views

        return views.results(self, request)

"""The page an editor places in the tree to publish the participation circuits.

One routable page serves the index of requests and offers (with filters), each item's public
timeline, the councils and each council's activity, the transparency statistics and the public
exports (CSV, Open311). Each route hands the request to :mod:`civic_participation.views`,
imported when the route runs, so loading the models never loads the page, form and view layer.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page


def _views():
    from civic_participation import views

    return views


class ParticipationIndexPage(RoutablePageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    template = "civic_participation/index_page.html"

    class Meta:
        verbose_name = _("participation index page")

    @path("")
    def index(self, request):
        return _views().index(self, request)

    @path("demandes/<int:pk>/", name="request")
    def request_detail(self, request, pk):
        return _views().request_detail(self, request, pk)

    @path("offres/<int:pk>/", name="offer")
    def offer_detail(self, request, pk):
        return _views().offer_detail(self, request, pk)

    @path("conseils/", name="councils")
    def councils(self, request):
        return _views().councils(self, request)

    @path("conseils/<slug:slug>/", name="council")
    def council(self, request, slug):
        return _views().council(self, request, slug)

    @path("export/csv/", name="export_csv")
    def export_csv(self, request):
        return _views().export_csv(self, request)

    @path("open311/requests/", name="open311")
    def open311(self, request):
        return _views().open311(self, request)

    @path("statistiques/", name="statistics")
    def statistics(self, request):
        return _views().statistics_page(self, request)

    @path("statistiques/csv/", name="statistics_csv")
    def statistics_csv(self, request):
        return _views().statistics_csv(self, request)

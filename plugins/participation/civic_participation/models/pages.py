"""The page an editor places in the tree to publish the participation circuits.

One routable page serves the index of requests and offers (with filters), each item's public
timeline, the councils and each council's activity, the transparency statistics and the public
exports (CSV, Open311). Each route hands the request to :mod:`civic_participation.views`,
imported when the route runs, so loading the models never loads the page, form and view layer.

The sub-routes' slugs are in the site's language (``civic_core.routes.site_slug``): a page
answers ``requests/12/`` in an English site and ``demandes/12/`` in a French one, whatever the
visitor's language (a shared link works for everyone). A city renames them in its own
translation catalogue. Links are always built by name (``routablepageurl``,
``reverse_subpage``), never by hand.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from civic_core.routes import site_slug


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

    # Translators: a URL segment; keep "<int:pk>" and the slashes.
    @path(site_slug(gettext_noop("requests/<int:pk>/")), name="request")
    def request_detail(self, request, pk):
        return _views().request_detail(self, request, pk)

    # Translators: a URL segment; keep "<int:pk>" and the slashes.
    @path(site_slug(gettext_noop("offers/<int:pk>/")), name="offer")
    def offer_detail(self, request, pk):
        return _views().offer_detail(self, request, pk)

    # Translators: a URL segment; keep the slash.
    @path(site_slug(gettext_noop("councils/")), name="councils")
    def councils(self, request):
        return _views().councils(self, request)

    # Translators: a URL segment; keep "<slug:slug>" and the slashes.
    @path(site_slug(gettext_noop("councils/<slug:slug>/")), name="council")
    def council(self, request, slug):
        return _views().council(self, request, slug)

    @path("export/csv/", name="export_csv")
    def export_csv(self, request):
        return _views().export_csv(self, request)

    @path("open311/requests/", name="open311")
    def open311(self, request):
        return _views().open311(self, request)

    # Translators: a URL segment; keep the slash.
    @path(site_slug(gettext_noop("statistics/")), name="statistics")
    def statistics(self, request):
        return _views().statistics_page(self, request)

    # Translators: a URL segment; keep "/csv/" and the slashes.
    @path(site_slug(gettext_noop("statistics/csv/")), name="statistics_csv")
    def statistics_csv(self, request):
        return _views().statistics_csv(self, request)

"""Public space: the page an editor places in the tree to publish the participation circuits.

One routable page serves the index of requests and offers (with filters), each item's public
timeline, the councils and each council's activity, and the public exports (CSV, Open311).
"""

import csv

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from civic_participation import public
from civic_participation.app_settings import app_settings
from civic_participation.forms import PublicFilterForm
from civic_participation.models import Offer, Request

CSV_COLUMNS = (
    "reference",
    "title",
    "council",
    "service",
    "theme",
    "state",
    "outcome",
    "received_on",
    "current_due",
    "days_overdue",
)


class ParticipationIndexPage(RoutablePageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    template = "civic_participation/index_page.html"

    class Meta:
        verbose_name = _("participation index page")

    def _render(self, request, template, context):
        context = {**self.get_context(request), **context}
        return TemplateResponse(request, template, context)

    def _filtered(self, request):
        form = PublicFilterForm(request.GET or None)
        kind, filters = form.filters()
        items = public.offers(filters) if kind == "offers" else public.requests(filters)
        return form, kind, items

    @path("")
    def index(self, request):
        form, kind, items = self._filtered(request)
        page_obj = Paginator(items, app_settings.PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return self._render(
            request,
            self.template,
            {
                "filter_form": form,
                "kind": kind,
                "items": page_obj,
                "query": query.urlencode(),
                "today": timezone.localdate(),
            },
        )

    @path("demandes/<int:pk>/", name="request")
    def request_detail(self, request, pk):
        try:
            item = public.request_detail(pk)
        except Request.DoesNotExist:
            raise Http404 from None
        return self._render(
            request, "civic_participation/request_detail.html", {"item": item, "title": item.title}
        )

    @path("offres/<int:pk>/", name="offer")
    def offer_detail(self, request, pk):
        try:
            item = public.offer_detail(pk)
        except Offer.DoesNotExist:
            raise Http404 from None
        return self._render(
            request, "civic_participation/offer_detail.html", {"item": item, "title": item.title}
        )

    @path("conseils/", name="councils")
    def councils(self, request):
        return self._render(
            request,
            "civic_participation/council_list.html",
            {"councils": public.councils(), "title": _("Councils")},
        )

    @path("conseils/<slug:slug>/", name="council")
    def council(self, request, slug):
        council = get_object_or_404(public.councils(), slug=slug)
        return self._render(
            request,
            "civic_participation/council_detail.html",
            {"council": council, "title": council.name, **public.council_activity(council)},
        )

    @path("export/csv/", name="export_csv")
    def export_csv(self, request):
        _form, _kind, items = self._filtered(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="participation-requests.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        if items.model is Request:
            for item in items:
                writer.writerow(
                    [
                        item.reference,
                        item.title,
                        item.council.name,
                        item.service.name if item.service else "",
                        item.theme.name if item.theme else "",
                        item.state,
                        item.outcome,
                        item.received_on or "",
                        item.current_due or "",
                        item.days_overdue(),
                    ]
                )
        return response

    @path("open311/requests/", name="open311")
    def open311(self, request):
        _form, _kind, items = self._filtered(request)
        if items.model is not Request:
            items = public.requests()
        items = public.with_public_events(items)
        return JsonResponse(
            [public.open311_request(item) for item in items],
            safe=False,
            json_dumps_params={"ensure_ascii": False},
        )

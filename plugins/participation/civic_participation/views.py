"""The public pages of the participation index page: each function answers one route of
:class:`~civic_participation.models.pages.ParticipationIndexPage` (``page`` is that page)."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic_core.csv_export import csv_response
from civic_participation import public, statistics
from civic_participation.app_settings import app_settings
from civic_participation.filters import PublicOfferFilter, PublicRequestFilter
from civic_participation.forms import ListKindForm, StatisticsPeriodForm
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


CHART_BAR_HEIGHT = 24
CHART_GAP = 8
CHART_LABEL_WIDTH = 200
CHART_BAR_WIDTH = 300


def on_time_chart(services):
    """Geometry of the server-rendered SVG bars: share answered on time, per service."""
    bars = []
    for index, service in enumerate(s for s in services if s.on_time_percent is not None):
        bars.append(
            {
                "label": service.name,
                "percent": service.on_time_percent,
                "y": index * (CHART_BAR_HEIGHT + CHART_GAP),
                "text_y": index * (CHART_BAR_HEIGHT + CHART_GAP) + CHART_BAR_HEIGHT * 0.7,
                "width": round(CHART_BAR_WIDTH * service.on_time_percent / 100),
            }
        )
    return {
        "bars": bars,
        "height": max(1, len(bars)) * (CHART_BAR_HEIGHT + CHART_GAP),
        "width": CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 60,
        "label_width": CHART_LABEL_WIDTH,
        "bar_height": CHART_BAR_HEIGHT,
        "value_x": CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 8,
    }


def _render(page, request, template, context):
    context = {**page.get_context(request), **context}
    return TemplateResponse(request, template, context)


def _filtered(request):
    """The list the query asks for, filtered by its FilterSet (invalid values ignored)."""
    kind = ListKindForm(request.GET).kind_shown()
    if kind == "offers":
        filterset = PublicOfferFilter(request.GET or None, queryset=public.offers())
    else:
        filterset = PublicRequestFilter(request.GET or None, queryset=public.requests())
    return filterset, kind, filterset.qs


def index(page, request):
    filterset, kind, items = _filtered(request)
    page_obj = Paginator(items, app_settings.PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        page,
        request,
        page.template,
        {
            "kind_form": ListKindForm(request.GET),
            "filter_form": filterset.form,
            "kind": kind,
            "items": page_obj,
            "query": query.urlencode(),
            "today": timezone.localdate(),
        },
    )


def request_detail(page, request, pk):
    try:
        item = public.request_detail(pk)
    except Request.DoesNotExist:
        raise Http404 from None
    return _render(
        page,
        request,
        "civic_participation/request_detail.html",
        {"item": item, "title": item.title},
    )


def offer_detail(page, request, pk):
    try:
        item = public.offer_detail(pk)
    except Offer.DoesNotExist:
        raise Http404 from None
    return _render(
        page, request, "civic_participation/offer_detail.html", {"item": item, "title": item.title}
    )


def councils(page, request):
    return _render(
        page,
        request,
        "civic_participation/council_list.html",
        {"councils": public.councils(), "title": _("Councils")},
    )


def council(page, request, slug):
    found = get_object_or_404(public.councils(), slug=slug)
    return _render(
        page,
        request,
        "civic_participation/council_detail.html",
        {"council": found, "title": found.name, **public.council_activity(found)},
    )


def _request_row(item):
    return (
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
    )


def export_csv(page, request):
    """The filtered public requests as CSV (an offer list exports the header only)."""
    _filterset, _kind, items = _filtered(request)
    rows = (_request_row(item) for item in items) if items.model is Request else ()
    return csv_response("participation-requests.csv", [CSV_COLUMNS, *rows])


def open311(page, request):
    _filterset, _kind, items = _filtered(request)
    if items.model is not Request:
        items = public.requests()
    items = public.with_public_events(items)
    return JsonResponse(
        [public.open311_request(item) for item in items],
        safe=False,
        json_dumps_params={"ensure_ascii": False},
    )


def statistics_page(page, request):
    form = StatisticsPeriodForm(request.GET)
    context = {"period_form": form, "title": _("Transparency statistics")}
    if not form.is_valid():
        response = _render(page, request, "civic_participation/statistics.html", context)
        response.status_code = 400
        return response
    figures = statistics.transparency(*form.period(), today=form.today)
    query = request.GET.urlencode()
    context.update(figures=figures, chart=on_time_chart(figures.services), query=query)
    return _render(page, request, "civic_participation/statistics.html", context)


def statistics_csv(page, request):
    form = StatisticsPeriodForm(request.GET)
    if not form.is_valid():
        errors = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    start, end = form.period()
    figures = statistics.transparency(start, end, today=form.today)
    return csv_response(
        f"participation-statistics-{start}-{end}.csv",
        [statistics.CSV_HEADER, *statistics.csv_rows(figures)],
    )

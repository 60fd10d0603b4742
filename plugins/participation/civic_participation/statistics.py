"""Transparency statistics, shared by the public page, the API and the CSV export.

Per service: median days from reception to acknowledgement, share of answers (and offer
feedback) given on time, and how many of its deadlines are overdue now. Per council: requests
submitted, invitations received and answered. Everything over a chosen period of dates, in a
fixed number of queries whatever the number of items; medians are computed in Python so SQLite
and PostgreSQL give the same figure.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from civic_participation.models import (
    CityService,
    Council,
    Deadline,
    DeadlineKind,
    Invitation,
    Offer,
    Request,
)

K = DeadlineKind
ANSWER_KINDS = (K.ANSWER, K.FEEDBACK)  # what the city owes as its answer, to councils


@dataclass
class ServiceFigures:
    name: str
    slug: str
    acknowledged: int = 0
    median_days_to_acknowledge: float | None = None
    answered: int = 0
    answered_on_time: int = 0
    overdue_now: int = 0

    @property
    def on_time_percent(self):
        if not self.answered:
            return None
        return round(100 * self.answered_on_time / self.answered)


@dataclass
class CouncilFigures:
    name: str
    slug: str
    requests_submitted: int = 0
    invitations_received: int = 0
    invitations_answered: int = 0


@dataclass
class Transparency:
    start: date
    end: date
    today: date
    services: list[ServiceFigures] = field(default_factory=list)
    councils: list[CouncilFigures] = field(default_factory=list)


def default_period(today):
    """The last twelve months, today included."""
    return today - timedelta(days=364), today


def _owning_service():
    return Coalesce("request__service_id", "offer__service_id", "invitation__offer__service_id")


def transparency(start, end, today):
    """The figures of the period [start, end] (dates included); overdue counts are as of today."""
    services = {
        service.pk: ServiceFigures(service.name, service.slug)
        for service in CityService.objects.only("name", "slug")
    }
    delays = defaultdict(list)
    acknowledged = Deadline.objects.filter(
        kind=K.ACKNOWLEDGE,
        status=Deadline.Status.MET,
        met_on__range=(start, end),
        request__service__isnull=False,
    ).values_list("request__service_id", "started_on", "met_on")
    for service_id, received_on, met_on in acknowledged:
        delays[service_id].append((met_on - received_on).days)
    for service_id, days in delays.items():
        services[service_id].acknowledged = len(days)
        services[service_id].median_days_to_acknowledge = median(days)

    answered = (
        Deadline.objects.filter(
            kind__in=ANSWER_KINDS, status=Deadline.Status.MET, met_on__range=(start, end)
        )
        .annotate(service_id=_owning_service())
        .values("service_id")
        .annotate(total=Count("pk"), on_time=Count("pk", filter=Q(met_late=False)))
        .order_by()
    )
    for row in answered:
        if row["service_id"] in services:
            services[row["service_id"]].answered = row["total"]
            services[row["service_id"]].answered_on_time = row["on_time"]

    overdue = (
        Deadline.objects.open()
        .filter(side=Deadline.Side.CITY, due_on__lt=today, paused_on__isnull=True)
        .annotate(service_id=_owning_service())
        .values("service_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    for row in overdue:
        if row["service_id"] in services:
            services[row["service_id"]].overdue_now = row["total"]

    return Transparency(
        start=start,
        end=end,
        today=today,
        services=list(services.values()),
        councils=_council_activity(start, end),
    )


def _council_activity(start, end):
    councils = {
        council.pk: CouncilFigures(council.name, council.slug)
        for council in Council.objects.filter(is_active=True).only("name", "slug")
    }
    submitted = (
        Request.objects.filter(received_on__range=(start, end))
        .values("council_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    for row in submitted:
        if row["council_id"] in councils:
            councils[row["council_id"]].requests_submitted = row["total"]
    invitations = (
        Invitation.objects.exclude(offer__state=Offer.State.DRAFT)
        .filter(offer__published_on__range=(start, end))
        .values("council_id")
        .annotate(total=Count("pk"), answered=Count("pk", filter=Q(responded_at__isnull=False)))
        .order_by()
    )
    for row in invitations:
        if row["council_id"] in councils:
            councils[row["council_id"]].invitations_received = row["total"]
            councils[row["council_id"]].invitations_answered = row["answered"]
    return list(councils.values())


CSV_HEADER = (
    "section",
    "slug",
    "name",
    "acknowledged",
    "median_days_to_acknowledge",
    "answered",
    "answered_on_time",
    "on_time_percent",
    "overdue_now",
    "requests_submitted",
    "invitations_received",
    "invitations_answered",
)


def csv_rows(figures):
    """Rows of the CSV export: one per service, then one per council (same columns)."""
    for service in figures.services:
        yield (
            "service",
            service.slug,
            service.name,
            service.acknowledged,
            ""
            if service.median_days_to_acknowledge is None
            else service.median_days_to_acknowledge,
            service.answered,
            service.answered_on_time,
            "" if service.on_time_percent is None else service.on_time_percent,
            service.overdue_now,
            "",
            "",
            "",
        )
    for council in figures.councils:
        yield (
            "council",
            council.slug,
            council.name,
            "",
            "",
            "",
            "",
            "",
            "",
            council.requests_submitted,
            council.invitations_received,
            council.invitations_answered,
        )

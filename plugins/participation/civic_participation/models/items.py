"""The items of the two circuits: requests (council -> city), offers (city -> councils) and the
invitations an offer sends, one per addressed council.

Their states change only through :mod:`civic_participation.workflow`; the due dates copied on
them (``acknowledge_due``, ``answer_due``, ``feedback_due``) are written only by
:mod:`civic_participation.deadlines`.
"""

import operator
from datetime import date
from functools import reduce

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic_participation.models.choices import DESCRIPTION_MAX_LENGTH, DeadlineKind
from civic_participation.models.directory import CityService, Council, Theme


class CircuitQuerySet(models.QuerySet):
    """Queries on the items of a circuit, read from the model's ``DUE_FIELDS``."""

    def public(self):
        """Items anyone may read: everything but drafts."""
        return self.exclude(state=self.model.State.DRAFT)

    def _due_cases(self):
        """(states, due-date field) pairs: the deadline the city is racing in those states."""
        by_field = {}
        for state, field in self.model.DUE_FIELDS.items():
            by_field.setdefault(field, []).append(state)
        return [(states, field) for field, states in by_field.items()]

    def overdue(self, today=None):
        """Items whose current deadline has passed."""
        today = today or timezone.localdate()
        late = [
            Q(state__in=states, **{f"{field}__lt": today}) for states, field in self._due_cases()
        ]
        return self.filter(reduce(operator.or_, late))

    def not_overdue(self, today=None):
        return self.exclude(pk__in=self.model.objects.overdue(today).values("pk"))

    def with_due_date(self):
        """Annotate `due_date` (the deadline the city is racing now, or None) and `due_sort`
        (the same with no deadline last), so inboxes list overdue items first."""
        due_date = models.Case(
            *[models.When(state__in=states, then=field) for states, field in self._due_cases()],
            default=None,
            output_field=models.DateField(),
        )
        return self.annotate(
            due_date=due_date,
            due_sort=Coalesce(due_date, models.Value(date.max), output_field=models.DateField()),
        )


class CircuitItem(models.Model):
    """What a request and an offer share: a public reference, a title and description, the
    states that end the circuit and the deadline the city is racing in the current state.

    A subclass sets ``REFERENCE_PREFIX``, ``FINAL_STATES`` and ``DUE_FIELDS`` (state -> the
    field holding the due date the city owes in that state).
    """

    REFERENCE_PREFIX = ""
    FINAL_STATES = ()
    DUE_FIELDS = {}

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CircuitQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]
        default_permissions = ("view",)

    def __str__(self):
        return self.title

    @property
    def reference(self):
        return f"{self.REFERENCE_PREFIX}-{self.pk:05d}"

    @property
    def is_final(self):
        return self.state in self.FINAL_STATES

    @property
    def current_due(self):
        field = self.DUE_FIELDS.get(self.state)
        return getattr(self, field) if field else None

    def days_overdue(self, today=None):
        due = self.current_due
        today = today or timezone.localdate()
        return (today - due).days if due and today > due else 0


class RequestQuerySet(CircuitQuerySet):
    def public(self):
        """Requests the city received (a draft withdrawn before submission never was)."""
        return self.filter(received_on__isnull=False)

    def with_answer_paused_on(self):
        """Annotate `answer_paused_on`: when the answer clock (the open answer deadline) was
        paused for the council's information, or None while it runs or once it stopped."""
        from civic_participation.models.deadlines import Deadline

        paused_on = (
            Deadline.objects.open()
            .filter(
                request=models.OuterRef("pk"), kind=DeadlineKind.ANSWER, paused_on__isnull=False
            )
            .order_by("paused_on")
            .values("paused_on")[:1]
        )
        return self.annotate(answer_paused_on=models.Subquery(paused_on))


class Request(CircuitItem):
    """A council's request of participation to the city."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        INADMISSIBLE = "inadmissible", _("Inadmissible")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        IN_REVIEW = "in_review", _("In review")
        AWAITING_COUNCIL = "awaiting_council", _("Awaiting the council")
        ANSWERED = "answered", _("Answered")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        PARTIALLY_ACCEPTED = "partially_accepted", _("Partially accepted")
        DECLINED = "declined", _("Declined")
        REDIRECTED = "redirected", _("Redirected")
        MERGED = "merged", _("Merged")

    REFERENCE_PREFIX = "D"
    FINAL_STATES = (State.INADMISSIBLE, State.WITHDRAWN, State.CLOSED)
    DUE_FIELDS = {
        State.SUBMITTED: "acknowledge_due",
        State.ACKNOWLEDGED: "answer_due",
        State.IN_REVIEW: "answer_due",
    }

    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="requests", verbose_name=_("council")
    )
    service = models.ForeignKey(
        CityService,
        on_delete=models.PROTECT,
        related_name="requests",
        null=True,
        blank=True,
        verbose_name=_("service in charge"),
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        related_name="requests",
        null=True,
        blank=True,
        verbose_name=_("theme"),
    )
    location = models.CharField(_("location"), max_length=255, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    answer = models.TextField(_("public answer"), blank=True)
    competent_body = models.CharField(
        _("competent body"), max_length=255, blank=True, help_text=_("Where it was redirected.")
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_requests",
        verbose_name=_("merged into"),
    )
    contact_channel = models.CharField(_("contact channel"), max_length=255, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    acknowledge_due = models.DateField(_("acknowledgement due"), null=True, blank=True)
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    answer_due = models.DateField(_("answer due"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta(CircuitItem.Meta):
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        permissions = [
            ("speak_for_council_request", _("Can act for the council on this request")),
            ("handle_request", _("Can handle this request for the city")),
            ("view_internal_request", _("Can read the internal notes of this request")),
        ]


class RoutingQueueItem(Request):
    """The coordinators' view of requests waiting to be routed (a second admin listing)."""

    class Meta:
        proxy = True
        default_permissions = ()
        verbose_name = _("request to route")
        verbose_name_plural = _("routing queue")


class Offer(CircuitItem):
    """The city's offer of participation to one, several or all councils."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        RESPONSES_CLOSED = "responses_closed", _("Responses closed")
        FEEDBACK_PUBLISHED = "feedback_published", _("Feedback published")
        CANCELLED = "cancelled", _("Cancelled")

    REFERENCE_PREFIX = "O"
    FINAL_STATES = (State.FEEDBACK_PUBLISHED, State.CANCELLED)
    DUE_FIELDS = {State.RESPONSES_CLOSED: "feedback_due"}

    service = models.ForeignKey(
        CityService, on_delete=models.PROTECT, related_name="offers", verbose_name=_("service")
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        related_name="offers",
        null=True,
        blank=True,
        verbose_name=_("theme"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    councils = models.ManyToManyField(
        Council, through="Invitation", related_name="offers", verbose_name=_("councils")
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    respond_by = models.DateField(_("respond by"), null=True, blank=True)
    feedback_due = models.DateField(_("feedback due"), null=True, blank=True)
    feedback = models.TextField(_("public feedback"), blank=True)

    class Meta(CircuitItem.Meta):
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        permissions = [
            ("handle_offer", _("Can handle this offer for the city")),
            ("view_internal_offer", _("Can read the internal notes of this offer")),
        ]


class Invitation(models.Model):
    """One addressed council's side of an offer."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COUNTER_PROPOSAL = "counter_proposal", _("Counter-proposal")
        EXPIRED = "expired", _("Expired")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="invitations")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="invitations")
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING, db_index=True
    )
    acknowledge_due = models.DateField(_("acknowledgement due"), null=True, blank=True)
    response = models.TextField(_("response"), blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["council__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "council"], name="civic_participation_one_invite"
            )
        ]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        default_permissions = ("view",)
        permissions = [
            ("respond_invitation", _("Can answer this invitation for the council")),
            ("handle_invitation", _("Can decide on this invitation for the city")),
        ]

    def __str__(self):
        return f"{self.offer} → {self.council}"


class ItemLinkMixin(models.Model):
    """Attaches a row to exactly one item: a request, an offer or an invitation."""

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def item(self):
        """The request, offer or invitation this row belongs to."""
        return self.invitation or self.request or self.offer

    def clean(self):
        if not (self.request_id or self.offer_id or self.invitation_id):
            raise ValidationError(_("Attach this to a request, an offer or an invitation."))


def item_link(item):
    """The keyword that attaches a row (timeline event, deadline, message...) to ``item``."""
    if isinstance(item, Request):
        return {"request": item}
    if isinstance(item, Invitation):
        return {"invitation": item}
    return {"offer": item}

"""Models of the participation plugin.

Councils and city services exchange requests (council -> city) and offers (city -> councils, one
invitation per addressed council). Their states change only through ``workflow.py``; every change
leaves a ``TimelineEvent``. Who may see and act on an item is held in django-guardian object
permission tables with direct foreign keys (bottom of this module).
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members")
    INTERNAL = "internal", _("Internal")


class Theme(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name


class Council(models.Model):
    """A council of residents (kind configured per city, see ``COUNCIL_KINDS``)."""

    name = models.CharField(_("name"), max_length=160, unique=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    kind = models.CharField(_("kind"), max_length=40, default="participatory")
    territory = models.CharField(
        _("territory"), max_length=255, blank=True, help_text=_("Districts or area it covers.")
    )
    description = models.TextField(_("description"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CouncilMembership", related_name="councils"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        permissions = [("draft_request_council", _("Can draft requests for this council"))]

    def __str__(self):
        return self.name

    def kind_label(self):
        from civic_participation.adapter import get_adapter

        return dict(get_adapter().council_kinds()).get(self.kind, self.kind)


class CouncilMembership(models.Model):
    """Access to a council's space; the public list shows only members who consented."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        REFERENT = "referent", _("Référent")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    listed_publicly = models.BooleanField(
        _("listed publicly"),
        default=False,
        help_text=_("The member consented to their name appearing on the public council page."),
    )
    public_name = models.CharField(
        _("public name"),
        max_length=120,
        blank=True,
        help_text=_("Name shown publicly when listed (defaults to first name and initial)."),
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)

    class Meta:
        ordering = ["council", "role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="participation_one_seat")
        ]
        verbose_name = _("council membership")
        verbose_name_plural = _("council memberships")

    def __str__(self):
        return f"{self.user} – {self.council} ({self.get_role_display()})"

    def display_name(self):
        if self.public_name:
            return self.public_name
        initial = f" {self.user.last_name[:1]}." if self.user.last_name else ""
        return f"{self.user.first_name or self.user.get_username()}{initial}"


class CityService(models.Model):
    name = models.CharField(_("name"), max_length=160, unique=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    description = models.TextField(_("description"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_channel = models.CharField(
        _("contact channel"),
        max_length=255,
        blank=True,
        help_text=_("How councils reach the service (e-mail, phone, office hours)."),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ServiceMembership", related_name="city_services"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("city service")
        verbose_name_plural = _("city services")
        permissions = [("draft_offer_service", _("Can draft offers for this service"))]

    def __str__(self):
        return self.name


class ServiceMembership(models.Model):
    class Role(models.TextChoices):
        AGENT = "agent", _("Agent")
        MANAGER = "manager", _("Manager")

    service = models.ForeignKey(CityService, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="service_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AGENT)

    class Meta:
        ordering = ["service", "role"]
        constraints = [
            models.UniqueConstraint(fields=["service", "user"], name="participation_one_post")
        ]
        verbose_name = _("service membership")
        verbose_name_plural = _("service memberships")

    def __str__(self):
        return f"{self.user} – {self.service} ({self.get_role_display()})"


class ParticipationSpace(models.Model):
    """Holds the model permission that opens the member space; no rows."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("access_member_space", _("Can use the participation member space")),
            ("route_request", _("Can route, acknowledge and reopen any request")),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)


class RequestQuerySet(models.QuerySet):
    def public(self):
        """Requests the city received (a draft withdrawn before submission never was)."""
        return self.filter(received_on__isnull=False)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(
            Q(state=Request.State.SUBMITTED, acknowledge_due__lt=today)
            | Q(
                state__in=[Request.State.ACKNOWLEDGED, Request.State.IN_REVIEW],
                answer_due__lt=today,
            )
        )

    def not_overdue(self, today=None):
        return self.exclude(pk__in=self.overdue(today).values("pk"))

    def with_due_date(self):
        """Annotate `due_date` (the deadline the city is racing now, or None) and `due_sort`
        (the same with no deadline last), so inboxes list overdue items first."""
        due_date = models.Case(
            models.When(state=Request.State.SUBMITTED, then="acknowledge_due"),
            models.When(
                state__in=[Request.State.ACKNOWLEDGED, Request.State.IN_REVIEW],
                then="answer_due",
            ),
            default=None,
            output_field=models.DateField(),
        )
        return self.annotate(
            due_date=due_date,
            due_sort=Coalesce(due_date, models.Value(date.max), output_field=models.DateField()),
        )

    def with_answer_paused_on(self):
        """Annotate `answer_paused_on`: when the answer clock (the open answer deadline) was
        paused for the council's information, or None while it runs or once it stopped."""
        paused_on = (
            Deadline.objects.open()
            .filter(
                request=models.OuterRef("pk"), kind=DeadlineKind.ANSWER, paused_on__isnull=False
            )
            .order_by("paused_on")
            .values("paused_on")[:1]
        )
        return self.annotate(answer_paused_on=models.Subquery(paused_on))


class Request(models.Model):
    """A council's request of participation to the city (DESIGN §4.1)."""

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

    FINAL_STATES = (State.INADMISSIBLE, State.WITHDRAWN, State.CLOSED)

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        default_permissions = ("view",)
        permissions = [
            ("speak_for_council_request", _("Can act for the council on this request")),
            ("handle_request", _("Can handle this request for the city")),
            ("view_internal_request", _("Can read the internal notes of this request")),
        ]

    def __str__(self):
        return self.title

    @property
    def reference(self):
        return f"D-{self.pk:05d}"

    @property
    def is_final(self):
        return self.state in self.FINAL_STATES

    @property
    def current_due(self):
        if self.state == self.State.SUBMITTED:
            return self.acknowledge_due
        if self.state in (self.State.ACKNOWLEDGED, self.State.IN_REVIEW):
            return self.answer_due
        return None

    def days_overdue(self, today=None):
        due = self.current_due
        today = today or timezone.localdate()
        return (today - due).days if due and today > due else 0


class RoutingQueueItem(Request):
    """The coordinators' view of requests waiting to be routed (a second admin listing)."""

    class Meta:
        proxy = True
        default_permissions = ()
        verbose_name = _("request to route")
        verbose_name_plural = _("routing queue")


class OfferQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(state=Offer.State.DRAFT)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(state=Offer.State.RESPONSES_CLOSED, feedback_due__lt=today)


class Offer(models.Model):
    """The city's offer of participation to one, several or all councils (DESIGN §4.2)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        RESPONSES_CLOSED = "responses_closed", _("Responses closed")
        FEEDBACK_PUBLISHED = "feedback_published", _("Feedback published")
        CANCELLED = "cancelled", _("Cancelled")

    FINAL_STATES = (State.FEEDBACK_PUBLISHED, State.CANCELLED)

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        default_permissions = ("view",)
        permissions = [
            ("handle_offer", _("Can handle this offer for the city")),
            ("view_internal_offer", _("Can read the internal notes of this offer")),
        ]

    def __str__(self):
        return self.title

    @property
    def reference(self):
        return f"O-{self.pk:05d}"

    @property
    def is_final(self):
        return self.state in self.FINAL_STATES

    @property
    def current_due(self):
        return self.feedback_due if self.state == self.State.RESPONSES_CLOSED else None

    def days_overdue(self, today=None):
        due = self.current_due
        today = today or timezone.localdate()
        return (today - due).days if due and today > due else 0


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
            models.UniqueConstraint(fields=["offer", "council"], name="participation_one_invite")
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

    def clean(self):
        if not (self.request_id or self.offer_id or self.invitation_id):
            raise ValidationError(_("Attach this to a request, an offer or an invitation."))


class TimelineEvent(ItemLinkMixin):
    """Append-only record of one transition; the public timeline is the public events.

    Invitation events also carry the offer, so the offer's timeline shows each council's outcome.
    ``actor_label`` names the actor's body (council, service, agency, system), never a person,
    so it can be shown publicly.
    """

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("on behalf of"), max_length=200)
    kind = models.CharField(_("kind"), max_length=40)
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20, blank=True)
    message = models.TextField(_("message"), blank=True)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")

    def __str__(self):
        return f"{self.kind}: {self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Timeline events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Timeline events are append-only.")

    def get_kind_label(self):
        from civic_participation.workflow import kind_label

        model = Invitation if self.invitation_id else Request if self.request_id else Offer
        return kind_label(model, self.kind)


class DiscussionMessage(ItemLinkMixin):
    """Members-only discussion of a request or an invitation."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("discussion message")
        verbose_name_plural = _("discussion messages")

    def __str__(self):
        return self.body[:60]


class Attachment(ItemLinkMixin):
    """Members-only file of a request or an invitation, served by a permission-checked view."""

    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="participation/attachments/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title


class InternalNote(ItemLinkMixin):
    """City-internal note on a request or an offer (agents and coordinators only)."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self):
        return self.body[:60]


# Deadlines, reminders and escalation (DESIGN §4.3) ---------------------------------------------


class ClosureDay(models.Model):
    """A day the city's services are closed besides public holidays (edited in the admin)."""

    day = models.DateField(_("day"), unique=True)
    label = models.CharField(_("label"), max_length=120)

    class Meta:
        ordering = ["day"]
        verbose_name = _("closure day")
        verbose_name_plural = _("closure days")

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.label}"


class DeadlineKind(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Acknowledgement")
    ANSWER = "answer", _("Answer")
    PROGRESS_UPDATE = "progress_update", _("Progress update")
    COUNCIL_CONFIRMATION = "council_confirmation", _("Council confirmation")
    INVITATION_ACK = "invitation_ack", _("Invitation acknowledgement")
    INVITATION_RESPONSE = "invitation_response", _("Invitation response")
    FEEDBACK = "feedback", _("Feedback")


class Counting(models.TextChoices):
    WORKING_DAYS = "working", _("Working days")
    CALENDAR_DAYS = "calendar", _("Calendar days")


class DeadlinePolicy(models.Model):
    """One version of the rule that sets a kind of deadline, general or for one scope.

    Rows are never edited in place by the domain layer: a new rule is a new row with a later
    ``valid_from`` (a new version), and each deadline keeps the version it was computed from.
    The most specific rule wins: service, then council, then theme, then the general rule.
    """

    kind = models.CharField(_("kind"), max_length=30, choices=DeadlineKind.choices)
    days = models.PositiveIntegerField(_("days"))
    counting = models.CharField(_("counting"), max_length=10, choices=Counting.choices)
    service = models.ForeignKey(
        CityService, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["kind", "-valid_from", "-pk"]
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(service__isnull=True, council__isnull=True)
                    | Q(service__isnull=True, theme__isnull=True)
                    | Q(council__isnull=True, theme__isnull=True)
                ),
                name="participation_policy_one_scope",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.days} {self.get_counting_display()}"


class DeadlineQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Deadline.Status.OPEN)


class Deadline(ItemLinkMixin):
    """One deadline an item races, from the transition that opened it until it is met.

    ``due_on`` moves only by a pause (the paused working days are added back on resumption) or
    by an extension (actor, reason and public event). Once met, the row is frozen.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Met")
        CANCELLED = "cancelled", _("Cancelled")

    class Side(models.TextChoices):
        CITY = "city", _("City")
        COUNCIL = "council", _("Council")

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, null=True, blank=True, related_name="deadlines"
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, null=True, blank=True, related_name="deadlines"
    )
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, null=True, blank=True, related_name="deadlines"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DeadlineKind.choices)
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    counting = models.CharField(_("counting"), max_length=10, choices=Counting.choices)
    days = models.PositiveIntegerField(_("days"))
    policy = models.ForeignKey(
        DeadlinePolicy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the site's default rule applied."),
    )
    started_on = models.DateField(_("started on"))
    original_due_on = models.DateField(_("originally due on"))
    due_on = models.DateField(_("due on"), db_index=True)
    paused_on = models.DateField(_("paused on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    met_on = models.DateField(_("met on"), null=True, blank=True)
    met_late = models.BooleanField(_("met late"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        indexes = [models.Index(fields=["status", "side", "due_on"], name="participation_dl_sweep")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_on:%Y-%m-%d}"

    @property
    def item(self):
        return self.invitation or self.request or self.offer


class DeadlineExtension(models.Model):
    """Who moved a deadline, why, and from when to when (also a public timeline event)."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="extensions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    previous_due_on = models.DateField(_("previously due on"))
    new_due_on = models.DateField(_("now due on"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")

    def __str__(self):
        return f"{self.deadline}: {self.previous_due_on} → {self.new_due_on}"


class Reminder(models.Model):
    """Ledger of the reminder ladder: one row per (deadline, rank), written before any send.

    The unique key is what makes the sweep safe to run twice at once, to kill and restart, or
    to resume after downtime: a rung is recorded once, whoever records it first.
    """

    class Step(models.TextChoices):
        WARNING = "warning", _("Warning")
        REMINDER = "reminder", _("Reminder")
        ESCALATION_MANAGER = "escalation_manager", _("Escalation to the service manager")
        ESCALATION_COORDINATION = (
            "escalation_coordination",
            _("Escalation to the coordination and the elected official"),
        )
        COUNCIL_REMINDER = "council_reminder", _("Reminder to the council")
        COUNCIL_ESCALATION = "council_escalation", _("Escalation to the coordination")

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    rank = models.PositiveSmallIntegerField(_("rank"))
    step = models.CharField(_("step"), max_length=30, choices=Step.choices)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    fanned_out = models.BooleanField(_("recipients listed"), default=False, db_index=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["deadline", "rank"], name="participation_one_rung")
        ]

    def __str__(self):
        return f"{self.get_step_display()} #{self.rank} – {self.deadline}"

    @property
    def is_escalation(self):
        return self.step in ESCALATION_STEPS


ESCALATION_STEPS = (
    Reminder.Step.ESCALATION_MANAGER,
    Reminder.Step.ESCALATION_COORDINATION,
    Reminder.Step.COUNCIL_ESCALATION,
)


class ReminderDelivery(models.Model):
    """One recipient of one rung; sent alone (one a day at most) or grouped in the digest."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        DIGESTED = "digested", _("Sent in the digest")
        OPTED_OUT = "opted_out", _("Not sent (opted out)")

    class Audience(models.TextChoices):
        AGENT = "agent", _("City staff")
        VOLUNTEER = "volunteer", _("Volunteer")

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    is_escalation = models.BooleanField(_("escalation"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    email = models.ForeignKey(
        "ReminderEmail", on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )

    class Meta:
        ordering = ["reminder__recorded_at", "pk"]
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "recipient"], name="participation_one_delivery"
            )
        ]

    def __str__(self):
        return f"{self.reminder} → {self.recipient}"


class ReminderEmail(models.Model):
    """The e-mails of one person's day: at most one single reminder and one digest.

    The row is inserted in the transaction that sends the e-mail and marks its deliveries, so a
    second cluster waits on the unique key and then finds the work done; a cluster killed before
    the commit leaves nothing behind and the next sweep sends it.
    """

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single reminder")
        DIGEST = "digest", _("Daily digest")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-day", "pk"]
        verbose_name = _("reminder e-mail")
        verbose_name_plural = _("reminder e-mails")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "day", "kind"], name="participation_one_email_a_day"
            )
        ]

    def __str__(self):
        return f"{self.recipient} {self.day} {self.kind}"


class ReminderPreference(models.Model):
    """A person's choice about plain reminders (escalations are always sent)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participation_reminders"
    )
    receive_reminders = models.BooleanField(_("receive reminder e-mails"), default=True)

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self):
        return str(self.user)


# django-guardian object permissions, one direct foreign-key table per protected model.


class CouncilUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Council, on_delete=models.CASCADE)


class CouncilGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Council, on_delete=models.CASCADE)


class CityServiceUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(CityService, on_delete=models.CASCADE)


class CityServiceGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(CityService, on_delete=models.CASCADE)


class RequestUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Request, on_delete=models.CASCADE)


class RequestGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Request, on_delete=models.CASCADE)


class OfferUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Offer, on_delete=models.CASCADE)


class OfferGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Offer, on_delete=models.CASCADE)


class InvitationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Invitation, on_delete=models.CASCADE)


class InvitationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Invitation, on_delete=models.CASCADE)


# Wagtail page types live in pages.py; importing them here registers them with this app.
from civic_participation.pages import ParticipationIndexPage  # noqa: E402, F401

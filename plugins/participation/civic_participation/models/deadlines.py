"""Deadlines as rows: each one an item races, from the transition that opened it until it is
met, and each extension of one."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic_core.records import AppendOnlyModel
from civic_participation.models.choices import MESSAGE_MAX_LENGTH, Counting, DeadlineKind
from civic_participation.models.directory import DeadlinePolicy
from civic_participation.models.items import Invitation, ItemLinkMixin, Offer, Request


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
        indexes = [
            models.Index(fields=["status", "side", "due_on"], name="civic_participation_dl_sweep")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_on:%Y-%m-%d}"


class DeadlineExtension(AppendOnlyModel):
    """Who moved a deadline, why, and from when to when (also a public timeline event).

    An audit record: written once, never changed or deleted (:class:`AppendOnlyModel`).
    """

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="extensions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=MESSAGE_MAX_LENGTH)
    previous_due_on = models.DateField(_("previously due on"))
    new_due_on = models.DateField(_("now due on"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")

    def __str__(self):
        return f"{self.deadline}: {self.previous_due_on} → {self.new_due_on}"

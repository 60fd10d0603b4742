"""The reminder ledger: one row per rung of a deadline reached (``Reminder``), its recipients
(``ReminderDelivery``), the e-mails of each person's day (``ReminderEmail``) and each person's
choice about plain reminders (``ReminderPreference``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic_participation.models.deadlines import Deadline


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
            models.UniqueConstraint(
                fields=["deadline", "rank"], name="civic_participation_one_rung"
            )
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
                fields=["reminder", "recipient"], name="civic_participation_one_delivery"
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
                fields=["recipient", "day", "kind"], name="civic_participation_one_email_a_day"
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

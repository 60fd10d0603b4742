"""The consultation's timeline: moderation decisions and integrity decisions, append-only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civic_consultation.models.consultations import Consultation
from civic_consultation.models.proposals import Proposal
from civic_core.records import AppendOnlyModel


class Event(AppendOnlyModel):
    """One state change of the consultation or of a proposal; written once, never changed
    (``AppendOnlyModel``)."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Members")
        INTERNAL = "internal", _("Internal")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=40)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    message = models.TextField(blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return f"{self.kind} {self.from_state}→{self.to_state}"

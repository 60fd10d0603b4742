"""The counted outcome of each zone, as stored after the count."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic_budget.models.process import Process, Zone


class ZoneResult(models.Model):
    """The counted outcome of one zone, with everything needed to recompute it."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="results")
    zone = models.OneToOneField(Zone, on_delete=models.CASCADE, related_name="result")
    rule = models.CharField(_("rule"), max_length=30)
    parameters = models.JSONField(_("parameters"))
    status = models.CharField(_("status"), max_length=20)
    winners = models.JSONField(_("winners"))
    spent_cents = models.PositiveBigIntegerField(_("spent (cents)"))
    leftover_cents = models.PositiveBigIntegerField(_("left over (cents)"))
    final_endowment = models.CharField(_("final endowment per voter"), max_length=200, blank=True)
    tie_order = models.JSONField(_("tie order"))
    input_hash = models.CharField(_("input hash"), max_length=100)
    ballots_hash = models.CharField(_("hash of the frozen ballots"), max_length=64)
    algorithm_version = models.CharField(_("algorithm version"), max_length=50)
    voter_count = models.PositiveIntegerField(_("voters"))
    greedy_winners = models.JSONField(_("winners under greedy by votes"))
    detail = models.JSONField(_("full result"))
    counted_at = models.DateTimeField(_("counted at"), default=timezone.now)

    class Meta:
        ordering = ["process", "zone"]
        verbose_name = _("zone result")
        verbose_name_plural = _("zone results")

    def __str__(self):
        return f"{self.zone} ({self.rule})"

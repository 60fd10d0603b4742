"""Contests of a declared identity: someone says a ballot was cast in their name.

In the declarative mode anyone can declare another resident's name and birth date. When the
real person then tries to vote, the ballot is refused (one ballot per person) and an
:class:`IdentityContest` is opened instead of silently locking them out. Budget staff decide it
in the member space: upholding it annuls the contested registration and its ballot, so the
claimant can vote; the decided contest stays as the audit record of that annulment.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civic_budget.models.ballots import VoterRegistration, today
from civic_budget.models.process import Process


class IdentityContest(models.Model):
    OPEN = "open"
    UPHELD = "upheld"
    DISMISSED = "dismissed"
    STATUS_CHOICES = [
        (OPEN, _("Open")),
        (UPHELD, _("Upheld: the contested ballot was annulled")),
        (DISMISSED, _("Dismissed")),
    ]

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="contests")
    # Emptied when the contested registration is annulled or the identities are purged.
    registration = models.ForeignKey(
        VoterRegistration, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("claimant"),
    )
    opened_on = models.DateField(_("opened on"), default=today)
    status = models.CharField(_("status"), max_length=10, choices=STATUS_CHOICES, default=OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("identity contest")
        verbose_name_plural = _("identity contests")
        permissions = [
            ("decide_identity_contest", _("Can decide identity contests and annul a ballot"))
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "claimant"],
                condition=models.Q(status="open"),
                name="civic_budget_one_open_contest_per_claimant",
            )
        ]

    def __str__(self):
        return f"{self.process_id}:{self.pk}"

"""A participant: a browser or an account taking part in one consultation."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civic_consultation import integrity
from civic_consultation.models.consultations import Consultation


class Participant(models.Model):
    class IdentityLevel(models.TextChoices):
        COOKIE = "cookie", _("Browser cookie")
        EMAIL = "email", _("Verified e-mail")
        ACCOUNT = "account", _("Account")

    class ProfileState(models.TextChoices):
        NOT_ASKED = "not_asked", _("Not asked yet")
        ANSWERED = "answered", _("Answered")
        SKIPPED = "skipped", _("Skipped")

    class Flag(models.TextChoices):
        UNIFORM = integrity.FLAG_UNIFORM, _("Always votes the same way")
        BURST = integrity.FLAG_BURST, _("Votes faster than a person reads")

    class AgeRange(models.TextChoices):
        UNDER_18 = "under_18", _("Under 18")
        FROM_18_TO_24 = "18_24", _("18 to 24")
        FROM_25_TO_34 = "25_34", _("25 to 34")
        FROM_35_TO_49 = "35_49", _("35 to 49")
        FROM_50_TO_64 = "50_64", _("50 to 64")
        OVER_65 = "65_plus", _("65 and over")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="participants"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultation_participations",
    )
    identity_level = models.CharField(
        max_length=16, choices=IdentityLevel.choices, default=IdentityLevel.COOKIE
    )
    profile_state = models.CharField(
        max_length=16, choices=ProfileState.choices, default=ProfileState.NOT_ASKED
    )
    age_range = models.CharField(max_length=16, choices=AgeRange.choices, blank=True)
    district = models.CharField(_("district or postal code"), max_length=60, blank=True)
    sequences = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # Integrity: a flag points moderators at the session; only their decision excludes its
    # votes from the ranking (the votes stay stored and can be included again).
    flag = models.CharField(_("flag"), max_length=16, choices=Flag.choices, blank=True)
    flagged_at = models.DateTimeField(_("flagged at"), null=True, blank=True)
    excluded = models.BooleanField(_("votes excluded from the ranking"), default=False)
    # A keyed hash of the address range the participant joined from (never the address): it
    # tells which sessions share a network, and nothing outside this site and consultation.
    address_range = models.CharField(max_length=32, blank=True, editable=False)
    # The participant's vote rate limit: votes and changes of votes counted in the fixed window
    # numbered ``vote_window`` (``limits.window_number``), written by the vote path itself.
    vote_window = models.BigIntegerField(default=0, editable=False)
    vote_actions = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [
            models.Index(fields=["consultation", "flag"], name="civic_consultation_part_flag"),
            models.Index(
                fields=["consultation", "address_range"], name="civic_consultation_part_range"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user"],
                condition=models.Q(user__isnull=False),
                name="civic_consultation_one_participant_per_account",
            )
        ]

    def __str__(self):
        return str(self.public_id)

"""Choices shared by several models of the plugin (and by the API's documentation)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Who reads a timeline event: anyone, the item's members, or the city only."""

    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members")
    INTERNAL = "internal", _("Internal")


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


# Bounds of the free texts people write (characters); forms, API and services enforce them.
DESCRIPTION_MAX_LENGTH = 10_000
MESSAGE_MAX_LENGTH = 5_000

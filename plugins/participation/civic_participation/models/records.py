"""What is written about an item besides its state: the append-only timeline, the members'
discussion and attachments, and the city's internal notes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic_core.records import AppendOnlyModel
from civic_participation.attachments import PrivateStorage, stored_name
from civic_participation.models.choices import MESSAGE_MAX_LENGTH, Visibility
from civic_participation.models.items import Invitation, ItemLinkMixin, Offer, Request


class TimelineEvent(ItemLinkMixin, AppendOnlyModel):
    """Record of one transition or dated fact; the public timeline is the public events.

    Written once (:class:`~civic_core.records.AppendOnlyModel`): saving it again, updating or
    deleting it is refused.

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

    def get_kind_label(self):
        from civic_participation.workflow import kind_label

        model = Invitation if self.invitation_id else Request if self.request_id else Offer
        return kind_label(model, self.kind)


def _author(verbose_name):
    # Kept when the person is erased (RGPD): shown as a former member.
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )


class DiscussionMessage(ItemLinkMixin):
    """Members-only discussion of a request or an invitation."""

    author = _author(_("author"))
    body = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("discussion message")
        verbose_name_plural = _("discussion messages")

    def __str__(self):
        return self.body[:60]


class Attachment(ItemLinkMixin):
    """Members-only file of a request or an invitation, served by a permission-checked view.

    Stored in the private storage under a random name (``attachments``); the name it was sent
    with is kept for display and as the downloaded file's name.
    """

    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), storage=PrivateStorage(), upload_to=stored_name, max_length=255
    )
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    uploaded_by = _author(_("uploaded by"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title


class InternalNote(ItemLinkMixin):
    """City-internal note on a request or an offer (agents and coordinators only)."""

    author = _author(_("author"))
    body = models.TextField(_("note"), max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self):
        return self.body[:60]

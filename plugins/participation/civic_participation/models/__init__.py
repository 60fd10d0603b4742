"""Models of the participation plugin, one module per concern.

- ``choices``: visibility of timeline events, kinds and counting of deadlines;
- ``directory``: themes, councils, city services, memberships, closure days, deadline policies;
- ``items``: the circuit items (requests, offers, invitations) and their shared base;
- ``deadlines``: the deadlines items race and their extensions;
- ``reminders``: the reminder ledger, its deliveries and e-mails, reminder preferences;
- ``records``: the append-only timeline, discussion, attachments and internal notes;
- ``object_permissions``: django-guardian's per-object permission tables;
- ``pages``: the Wagtail page that publishes the circuits.
"""

from civic_participation.models.choices import (
    DESCRIPTION_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    Counting,
    DeadlineKind,
    Visibility,
)
from civic_participation.models.deadlines import Deadline, DeadlineExtension, DeadlineQuerySet
from civic_participation.models.directory import (
    CityService,
    ClosureDay,
    Council,
    CouncilMembership,
    DeadlinePolicy,
    ParticipationSpace,
    ServiceMembership,
    Theme,
)
from civic_participation.models.items import (
    CircuitItem,
    CircuitQuerySet,
    Invitation,
    ItemLinkMixin,
    Offer,
    Request,
    RequestQuerySet,
    RoutingQueueItem,
    item_link,
)
from civic_participation.models.object_permissions import (
    CityServiceGroupObjectPermission,
    CityServiceUserObjectPermission,
    CouncilGroupObjectPermission,
    CouncilUserObjectPermission,
    InvitationGroupObjectPermission,
    InvitationUserObjectPermission,
    OfferGroupObjectPermission,
    OfferUserObjectPermission,
    RequestGroupObjectPermission,
    RequestUserObjectPermission,
)
from civic_participation.models.pages import ParticipationIndexPage
from civic_participation.models.records import (
    Attachment,
    DiscussionMessage,
    InternalNote,
    TimelineEvent,
)
from civic_participation.models.reminders import (
    ESCALATION_STEPS,
    Reminder,
    ReminderDelivery,
    ReminderEmail,
    ReminderPreference,
)

__all__ = [
    "DESCRIPTION_MAX_LENGTH",
    "MESSAGE_MAX_LENGTH",
    "ESCALATION_STEPS",
    "Attachment",
    "CircuitItem",
    "CircuitQuerySet",
    "CityService",
    "CityServiceGroupObjectPermission",
    "CityServiceUserObjectPermission",
    "ClosureDay",
    "Council",
    "CouncilGroupObjectPermission",
    "CouncilMembership",
    "CouncilUserObjectPermission",
    "Counting",
    "Deadline",
    "DeadlineExtension",
    "DeadlineKind",
    "DeadlinePolicy",
    "DeadlineQuerySet",
    "DiscussionMessage",
    "InternalNote",
    "Invitation",
    "InvitationGroupObjectPermission",
    "InvitationUserObjectPermission",
    "ItemLinkMixin",
    "Offer",
    "OfferGroupObjectPermission",
    "OfferUserObjectPermission",
    "ParticipationIndexPage",
    "ParticipationSpace",
    "Reminder",
    "ReminderDelivery",
    "ReminderEmail",
    "ReminderPreference",
    "Request",
    "RequestGroupObjectPermission",
    "RequestQuerySet",
    "RequestUserObjectPermission",
    "RoutingQueueItem",
    "ServiceMembership",
    "Theme",
    "TimelineEvent",
    "Visibility",
    "item_link",
]

"""Models of the consultation plugin, one module per concern; every model is importable from
here. Wagtail finds page types among an app's models: the page model is in ``pages``."""

from civic_consultation.models.consultations import (
    Consultation,
    ConsultationGroupObjectPermission,
    ConsultationUserObjectPermission,
    Phase,
    Theme,
)
from civic_consultation.models.events import Event
from civic_consultation.models.opinion_groups import (
    IdentityLevelCount,
    OpinionGroup,
    OpinionGroupRun,
    OpinionGroupVotes,
    OpinionProposalScore,
)
from civic_consultation.models.pages import ConsultationPage
from civic_consultation.models.participants import Participant
from civic_consultation.models.proposals import Idea, Proposal, VoteCounters, random_shuffle_key
from civic_consultation.models.votes import Card, CounterShard, SegmentCounter, Vote, VoteQuerySet

__all__ = [
    "Card",
    "Consultation",
    "ConsultationGroupObjectPermission",
    "ConsultationPage",
    "ConsultationUserObjectPermission",
    "CounterShard",
    "Event",
    "IdentityLevelCount",
    "Idea",
    "OpinionGroup",
    "OpinionGroupRun",
    "OpinionGroupVotes",
    "OpinionProposalScore",
    "Participant",
    "Phase",
    "Proposal",
    "SegmentCounter",
    "Theme",
    "Vote",
    "VoteCounters",
    "VoteQuerySet",
    # Named by migration 0001 as the default of Proposal.shuffle_key.
    "random_shuffle_key",
]

"""Every state change of the consultation plugin, one module per concern.

Pages, the API, the admin, the tasks and the commands call these functions; each checks the
actor's right and the source state, runs in one transaction on the database the router picks
for the plugin's votes (``vote_store.atomic``; rows locked with ``select_for_update``) and
records a timeline event for moderation changes. Counters move in the same transaction, through
``vote_store``. The names callers use are importable from here.
"""

from civic_consultation.errors import ConsultationError
from civic_consultation.services.cards import (
    SHARED_KEY_MARK,
    card_key,
    current_sequence,
    next_cards,
    read_card_key,
)
from civic_consultation.services.integrity import (
    exclude_votes,
    flag_session,
    include_votes,
    session_evidence,
    set_range_weights,
)
from civic_consultation.services.moderation import (
    BULK_ACTIONS,
    accept,
    archive,
    bulk_moderate,
    group_into_idea,
    lock,
    mark_duplicate,
    next_in_queue,
    postpone,
    refuse,
    release,
)
from civic_consultation.services.participants import (
    answer_profile,
    get_participant,
    join,
    link_account,
    skip_profile,
)
from civic_consultation.services.proposals import (
    clean_proposal_text,
    similar_proposals,
    submit_proposal,
)
from civic_consultation.services.votes import cast_vote, recount, validate_qualifications

__all__ = [
    "BULK_ACTIONS",
    "SHARED_KEY_MARK",
    "ConsultationError",
    "accept",
    "answer_profile",
    "archive",
    "bulk_moderate",
    "card_key",
    "cast_vote",
    "clean_proposal_text",
    "current_sequence",
    "exclude_votes",
    "flag_session",
    "get_participant",
    "group_into_idea",
    "include_votes",
    "join",
    "link_account",
    "lock",
    "mark_duplicate",
    "next_cards",
    "next_in_queue",
    "postpone",
    "read_card_key",
    "recount",
    "refuse",
    "release",
    "session_evidence",
    "set_range_weights",
    "similar_proposals",
    "skip_profile",
    "submit_proposal",
    "validate_qualifications",
]

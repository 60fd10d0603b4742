"""Proposals: the text rules, submission (pending until a moderator decides) and the search
for proposals saying nearly the same."""

import re

from django.utils.translation import gettext as _

from civic_consultation import limits, text, vote_store
from civic_consultation.adapter import get_adapter
from civic_consultation.app_settings import app_settings
from civic_consultation.errors import ConsultationError
from civic_consultation.models import Event, Proposal
from civic_consultation.services.moderation import record_event

Status = Proposal.Status

SPACES = re.compile(r"\s+")


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_proposal_text(consultation, raw):
    """The stored text: whitespace folded, the prefix written once, the limits checked."""
    body = SPACES.sub(" ", CONTROL.sub("", raw or "")).strip()
    prefix = consultation.prefix
    if prefix and body.lower().startswith(prefix.lower()):
        body = body[len(prefix) :].strip()
    if not body:
        raise ConsultationError.for_field("text", _("Write your proposal."), "empty")
    full = f"{prefix} {body}" if prefix else body
    if len(full) < consultation.proposal_min_length:
        raise ConsultationError.for_field(
            "text",
            _("A proposal has at least %(count)d characters.")
            % {"count": consultation.proposal_min_length},
            "too_short",
        )
    if len(full) > consultation.proposal_max_length:
        raise ConsultationError.for_field(
            "text",
            _("A proposal has at most %(count)d characters.")
            % {"count": consultation.proposal_max_length},
            "too_long",
        )
    return full


def signature(consultation, full_text):
    """The stored matching signature of a proposal, in the consultation's text language."""
    language = get_adapter().text_language(consultation)
    return text.signature(full_text, language, ignore=consultation.prefix)


def submit_proposal(participant, raw_text, theme=None, address=None):
    """Store a participant's proposal, pending moderation (rate-limited)."""
    consultation = participant.consultation
    if not consultation.is_open():
        raise ConsultationError(_("This consultation is not open."), ConsultationError.CLOSED)
    if theme is not None and theme.consultation_id != consultation.pk:
        raise ConsultationError.for_field("theme", _("This theme belongs to another consultation."))
    full = clean_proposal_text(consultation, raw_text)
    limits.check("proposal", participant.pk, address)
    with vote_store.atomic():
        proposal = Proposal.objects.create(
            consultation=consultation,
            author=participant,
            text=full,
            signature=signature(consultation, full),
            theme=theme,
        )
        record_event(proposal, None, "submitted", "", Status.PENDING, Event.Visibility.INTERNAL)
    return proposal


def similar_proposals(consultation, draft, *, exclude_id=None, statuses=None, limit=5):
    """Proposals that say nearly the same as ``draft`` (accepted ones unless told otherwise)."""
    statuses = statuses or (Status.ACCEPTED,)
    rows = (
        Proposal.objects.filter(consultation=consultation, status__in=statuses)
        .exclude(pk=exclude_id)
        .order_by("-created_at")
        .values_list("pk", "signature")[: app_settings.SIMILARITY_SCOPE]
    )
    adapter = get_adapter()
    matches = text.similar(
        draft,
        dict(rows),
        limit=limit,
        threshold=app_settings.SIMILARITY_THRESHOLD,
        language=adapter.text_language(consultation),
        ignore=consultation.prefix,
    )
    found = Proposal.objects.in_bulk([match.key for match in matches])
    return [(found[match.key], match.score) for match in matches if match.key in found]

"""Moderation of proposals: the review lock, decisions (accept, refuse, postpone, archive),
bulk decisions, ideas and duplicates. Every decision is recorded on the timeline (``Event``)
and moves the live counter of accepted proposals."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from civic_consultation import vote_store
from civic_consultation.adapter import get_adapter
from civic_consultation.app_settings import app_settings
from civic_consultation.errors import ConsultationError
from civic_consultation.models import Event, Idea, Proposal
from civic_consultation.permissions import require_moderator

Status = Proposal.Status
Visibility = Event.Visibility


def record_event(proposal, actor, kind, from_state, to_state, visibility, message=""):
    """Add a change of ``proposal`` to the consultation's timeline."""
    Event.objects.create(
        consultation_id=proposal.consultation_id,
        proposal=proposal,
        actor=actor,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        message=message,
        visibility=visibility,
    )


def _locked_for_moderation(actor, proposal_id, allowed_from):
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("consultation")
        .get(pk=proposal_id)
    )
    require_moderator(actor, proposal.consultation)
    held_by_other = (
        proposal.locked_by_id
        and proposal.locked_by_id != actor.pk
        and proposal.locked_until
        and proposal.locked_until > timezone.now()
    )
    if held_by_other:
        raise ConsultationError(
            _("Another moderator is reviewing this proposal."), ConsultationError.LOCKED
        )
    if proposal.status not in allowed_from:
        raise ConsultationError(
            _("This proposal is %(status)s.") % {"status": proposal.get_status_display()},
            ConsultationError.INVALID_STATE,
        )
    return proposal


def lock(actor, proposal):
    """Reserve a proposal for ``actor`` while they review it."""
    with vote_store.atomic():
        locked = _locked_for_moderation(actor, proposal.pk, (Status.PENDING, Status.POSTPONED))
        locked.locked_by = actor
        locked.locked_until = timezone.now() + timedelta(minutes=app_settings.LOCK_MINUTES)
        locked.save(update_fields=["locked_by", "locked_until"])
    return locked


def release(actor, proposal):
    with vote_store.atomic():
        locked = _locked_for_moderation(actor, proposal.pk, tuple(Status.values))
        locked.locked_by, locked.locked_until = None, None
        locked.save(update_fields=["locked_by", "locked_until"])
    return locked


def next_in_queue(actor, consultation):
    """Lock and return the oldest pending proposal nobody else is reviewing, or None."""
    require_moderator(actor, consultation)
    now = timezone.now()
    with vote_store.atomic():
        candidate = (
            Proposal.objects.select_for_update(skip_locked=True)
            .filter(consultation=consultation, status=Status.PENDING)
            .exclude(locked_until__gt=now, locked_by__isnull=False)
            .order_by("created_at", "pk")
            .first()
        ) or (
            Proposal.objects.filter(
                consultation=consultation, status=Status.PENDING, locked_by=actor
            ).first()
        )
        if candidate is None:
            return None
        candidate.locked_by = actor
        candidate.locked_until = now + timedelta(minutes=app_settings.LOCK_MINUTES)
        candidate.save(update_fields=["locked_by", "locked_until"])
    return candidate


def _finish(proposal, actor, to_state, kind, visibility, message="", **changes):
    from_state = proposal.status
    proposal.status = to_state
    proposal.moderated_by = actor
    proposal.moderated_at = timezone.now()
    proposal.locked_by, proposal.locked_until = None, None
    for name, value in changes.items():
        setattr(proposal, name, value)
    proposal.save()
    record_event(proposal, actor, kind, from_state, to_state, visibility, message)
    if to_state == Status.ACCEPTED:
        vote_store.bump_counter(proposal.consultation_id, proposals=1)
    elif from_state == Status.ACCEPTED:
        vote_store.bump_counter(proposal.consultation_id, proposals=-1)
    return proposal


def accept(actor, proposal, theme=None):
    with vote_store.atomic():
        locked = _locked_for_moderation(actor, proposal.pk, (Status.PENDING, Status.POSTPONED))
        if theme is not None and theme.consultation_id != locked.consultation_id:
            raise ConsultationError.for_field(
                "theme", _("This theme belongs to another consultation.")
            )
        return _finish(
            locked,
            actor,
            Status.ACCEPTED,
            "accepted",
            Visibility.PUBLIC,
            theme=theme or locked.theme,
            refusal_reason="",
        )


def refuse(actor, proposal, reason, note=""):
    reasons = dict(get_adapter().refusal_reasons(proposal.consultation))
    if reason not in reasons:
        raise ConsultationError.for_field("reason", _("Choose a refusal reason from the list."))
    with vote_store.atomic():
        locked = _locked_for_moderation(actor, proposal.pk, (Status.PENDING, Status.POSTPONED))
        return _finish(
            locked,
            actor,
            Status.REFUSED,
            "refused",
            Visibility.MEMBERS,
            message=str(reasons[reason]),
            refusal_reason=reason,
            moderator_note=note,
        )


def postpone(actor, proposal, note=""):
    with vote_store.atomic():
        locked = _locked_for_moderation(actor, proposal.pk, (Status.PENDING,))
        return _finish(
            locked,
            actor,
            Status.POSTPONED,
            "postponed",
            Visibility.INTERNAL,
            note,
            moderator_note=note,
        )


def archive(actor, proposal):
    """Take an accepted proposal out of the votes; its results stay."""
    with vote_store.atomic():
        locked = _locked_for_moderation(actor, proposal.pk, (Status.ACCEPTED,))
        return _finish(locked, actor, Status.ARCHIVED, "archived", Visibility.PUBLIC)


BULK_ACTIONS = ("accept", "refuse", "postpone")


def bulk_moderate(actor, proposals, action, reason=""):
    """Apply one decision to several proposals; returns (done, [(proposal, error)])."""
    if action not in BULK_ACTIONS:
        raise ConsultationError.for_field("action", _("Unknown action."))
    done, failed = [], []
    for proposal in proposals:
        try:
            if action == "accept":
                done.append(accept(actor, proposal))
            elif action == "refuse":
                done.append(refuse(actor, proposal, reason))
            else:
                done.append(postpone(actor, proposal))
        except ConsultationError as error:
            failed.append((proposal, error))
    return done, failed


def group_into_idea(actor, proposals, *, idea=None, name=""):
    """Group proposals saying the same thing under one idea (new when ``idea`` is None)."""
    proposals = list(proposals)
    if not proposals:
        raise ConsultationError.for_field("proposals", _("Choose the proposals to group."))
    consultation = proposals[0].consultation
    if any(p.consultation_id != consultation.pk for p in proposals):
        raise ConsultationError(_("The proposals belong to different consultations."))
    require_moderator(actor, consultation)
    with vote_store.atomic():
        if idea is None:
            name = (name or "").strip() or proposals[0].text
            idea = Idea.objects.create(consultation=consultation, name=name[:200])
        elif idea.consultation_id != consultation.pk:
            raise ConsultationError(_("This idea belongs to another consultation."))
        for proposal in Proposal.objects.select_for_update().filter(
            pk__in=[p.pk for p in proposals]
        ):
            proposal.idea = idea
            proposal.save(update_fields=["idea"])
            record_event(proposal, actor, "grouped", "", "", Visibility.MEMBERS, idea.name)
    return idea


def mark_duplicate(actor, proposal, original):
    """Refuse ``proposal`` as a duplicate of ``original``; both join the same idea."""
    if original.pk == proposal.pk or original.consultation_id != proposal.consultation_id:
        raise ConsultationError.for_field(
            "original", _("Choose another proposal of this consultation.")
        )
    with vote_store.atomic():
        idea = original.idea or group_into_idea(actor, [original])
        refused = refuse(actor, proposal, "duplicate")
        Proposal.objects.filter(pk=refused.pk).update(duplicate_of=original, idea=idea)
    refused.refresh_from_db()
    return refused

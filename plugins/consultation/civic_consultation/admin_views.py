"""Moderation views of the member space (Wagtail admin): queue, review, bulk actions.

They render forms and call services; the services check the moderator's scope and the state.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic_consultation import access, identity, scoring, services
from civic_consultation.adapter import get_adapter
from civic_consultation.errors import ConsultationError
from civic_consultation.forms import AcceptForm, BulkForm, RefuseForm
from civic_consultation.models import Consultation, Proposal
from civic_consultation.permissions import moderated_consultations

QUEUE_STATUSES = (Proposal.Status.PENDING, Proposal.Status.POSTPONED)


def _allowed(request, consultation_id=None):
    """The permission table (``access.ADMIN_ROUTES``) for this view and method: 403 if not."""
    try:
        access.require_route(
            access.Actor(request.user),
            access.ADMIN_ROUTES,
            request.resolver_match.url_name,
            request.method,
            consultation_id,
        )
    except ConsultationError:
        raise PermissionDenied from None


def _moderated(request, consultation_id):
    consultation = get_object_or_404(Consultation, pk=consultation_id)
    _allowed(request, consultation.pk)
    return consultation


def consultations(request):
    """The consultations this moderator looks after, with what waits in each queue."""
    moderated = (
        moderated_consultations(request.user)
        .annotate(
            pending=Count("proposals", filter=Q(proposals__status=Proposal.Status.PENDING)),
            postponed=Count("proposals", filter=Q(proposals__status=Proposal.Status.POSTPONED)),
        )
        .order_by("-created_at")
    )
    _allowed(request)
    return render(
        request, "civic_consultation/admin/consultations.html", {"consultations": moderated}
    )


def queue(request, consultation_id):
    consultation = _moderated(request, consultation_id)
    status = request.GET.get("status", Proposal.Status.PENDING)
    if status not in QUEUE_STATUSES:
        status = Proposal.Status.PENDING
    proposals = (
        consultation.proposals.filter(status=status)
        .select_related("theme", "locked_by", "idea")
        .order_by("created_at", "pk")
    )
    reasons = get_adapter().refusal_reasons(consultation)
    bulk_form = BulkForm(request.POST or None, queryset=proposals, reasons=reasons)
    if request.method == "POST" and bulk_form.is_valid():
        _bulk(request, bulk_form.cleaned_data)
        return redirect(request.get_full_path())
    page = Paginator(proposals, 50).get_page(request.GET.get("p"))
    return render(
        request,
        "civic_consultation/admin/queue.html",
        {
            "consultation": consultation,
            "page_obj": page,
            "now": timezone.now(),
            "status": status,
            "bulk_form": bulk_form,
            "statuses": [(value, Proposal.Status(value).label) for value in QUEUE_STATUSES],
        },
    )


def _bulk(request, data):
    proposals, action = list(data["proposals"]), data["action"]
    try:
        if action == "group":
            idea = services.group_into_idea(request.user, proposals, name=data["idea_name"])
            messages.success(request, _("Grouped into the idea “%(name)s”.") % {"name": idea.name})
            return
        done, failed = services.bulk_moderate(request.user, proposals, action, data["reason"])
    except ConsultationError as error:
        messages.error(request, error.message)
        return
    messages.success(request, _("%(count)d proposals updated.") % {"count": len(done)})
    for proposal, error in failed:
        messages.warning(request, f"{proposal.text[:60]}: {error.message}")


@require_POST
def review_next(request, consultation_id):
    consultation = _moderated(request, consultation_id)
    proposal = services.next_in_queue(request.user, consultation)
    if proposal is None:
        messages.info(request, _("Nothing waits for moderation."))
        return redirect("civic_consultation_queue", consultation.pk)
    return redirect("civic_consultation_review", proposal.pk)


def review(request, proposal_id):
    """One proposal, locked for this moderator, with similar proposals and the decisions."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("consultation", "theme", "locked_by", "idea"),
        pk=proposal_id,
    )
    consultation = proposal.consultation
    _allowed(request, consultation.pk)
    reasons = get_adapter().refusal_reasons(consultation)
    accept_form = AcceptForm(initial={"theme": proposal.theme_id}, consultation=consultation)
    refuse_form = RefuseForm(reasons=reasons)
    if request.method == "POST":
        decision = request.POST.get("decision")
        try:
            outcome = _decide(request, proposal, decision, reasons)
        except ConsultationError as error:
            messages.error(request, error.message)
        else:
            if outcome is not None:
                return outcome
        accept_form = AcceptForm(request.POST, consultation=consultation)
        refuse_form = RefuseForm(request.POST, reasons=reasons)
    elif proposal.status in QUEUE_STATUSES:
        try:
            services.lock(request.user, proposal)
        except ConsultationError as error:
            messages.warning(request, error.message)
        proposal.refresh_from_db()
    similar = services.similar_proposals(
        consultation,
        proposal.text,
        exclude_id=proposal.pk,
        statuses=(Proposal.Status.ACCEPTED, Proposal.Status.PENDING, Proposal.Status.POSTPONED),
    )
    return render(
        request,
        "civic_consultation/admin/review.html",
        {
            "proposal": proposal,
            "consultation": consultation,
            "similar": similar,
            "accept_form": accept_form,
            "refuse_form": refuse_form,
            "holds_lock": proposal.locked_by_id == request.user.pk,
            "events": proposal.events.select_related("actor"),
        },
    )


def _decide(request, proposal, decision, reasons):
    back = redirect("civic_consultation_queue", proposal.consultation_id)
    if decision == "accept":
        form = AcceptForm(request.POST, consultation=proposal.consultation)
        if form.is_valid():
            services.accept(request.user, proposal, form.cleaned_data["theme"])
            messages.success(request, _("Proposal accepted."))
            return back
    elif decision == "refuse":
        form = RefuseForm(request.POST, reasons=reasons)
        if form.is_valid():
            services.refuse(
                request.user, proposal, form.cleaned_data["reason"], form.cleaned_data["note"]
            )
            messages.success(request, _("Proposal refused."))
            return back
    elif decision == "postpone":
        services.postpone(request.user, proposal, request.POST.get("note", ""))
        messages.success(request, _("Proposal postponed."))
        return back
    elif decision == "duplicate":
        original = get_object_or_404(
            Proposal, pk=_posted_id(request, "original"), consultation=proposal.consultation
        )
        services.mark_duplicate(request.user, proposal, original)
        messages.success(request, _("Proposal refused as a duplicate."))
        return back
    elif decision == "archive":
        services.archive(request.user, proposal)
        messages.success(request, _("Proposal archived: it takes no more votes."))
        return back
    elif decision == "release":
        services.release(request.user, proposal)
        return back
    messages.error(request, _("Please correct the form."))
    return None


def _posted_id(request, name):
    """The id posted as ``name``; 0 (found nowhere: a 404) when it is not a number."""
    value = request.POST.get(name, "")
    return int(value) if value.isascii() and value.isdecimal() and len(value) < 19 else 0


def flagged(request, consultation_id):
    """Flagged sessions with their evidence; a moderator excludes or includes their votes."""
    consultation = _moderated(request, consultation_id)
    if request.method == "POST":
        participant = get_object_or_404(
            consultation.participants, pk=_posted_id(request, "participant")
        )
        decide = (
            services.include_votes
            if request.POST.get("action") == "include"
            else services.exclude_votes
        )
        try:
            decide(request.user, participant, request.POST.get("reason", ""))
        except ConsultationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Decision recorded."))
        return redirect(request.get_full_path())
    address_range = request.GET.get("range", "")
    if address_range and not identity.is_address_range_key(address_range):
        messages.error(request, _("This is not an address range of this consultation."))
        address_range = ""
    listed = (
        consultation.participants.filter(address_range=address_range)
        if address_range
        else consultation.participants.filter(Q(flag__gt="") | Q(excluded=True))
    )
    sessions = services.session_evidence(listed).order_by("-flagged_at", "pk")
    page = Paginator(sessions, 50).get_page(request.GET.get("p"))
    log = (
        consultation.events.filter(kind__in=INTEGRITY_EVENTS)
        .select_related("actor", "proposal")
        .order_by("-created_at", "-pk")[:50]
    )
    return render(
        request,
        "civic_consultation/admin/flagged.html",
        {
            "consultation": consultation,
            "page_obj": page,
            "address_range": address_range,
            "capped": _capped_proposals(consultation),
            "log": log,
        },
    )


INTEGRITY_EVENTS = ("votes_excluded", "votes_included", "range_capped", "range_cap_lifted")


def _capped_proposals(consultation, limit=50):
    """Proposals the address-range cap weighs down, with the weight it takes off."""
    rows = (
        consultation.proposals.exclude(range_excess={})
        .order_by("pk")
        .values("pk", "text", "range_excess", *scoring.VALUES)[:limit]
    )
    return [
        {
            **row,
            "votes": sum(row[value] for value in scoring.VALUES),
            "ranges": len(row["range_excess"].get("weights", {})),
            "weight_off": sum(
                row["range_excess"].get("amounts", {}).get(value, 0) for value in scoring.VALUES
            ),
        }
        for row in rows
    ]

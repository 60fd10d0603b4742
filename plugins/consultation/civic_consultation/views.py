"""The public pages of a consultation, behind the routes of ``ConsultationPage``
(:mod:`civic_consultation.models.pages`): landing, proposing, voting and results. They read,
or call services; they never change rows themselves.
"""

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from civic_consultation import access, identity, scoring, services
from civic_consultation import challenge as proof_of_work
from civic_consultation import results as results_tables
from civic_consultation.errors import ConsultationError
from civic_consultation.forms import (
    QUALIFICATION_LABELS,
    QUALIFY_LEGENDS,
    VALUE_LABELS,
    ProfileForm,
    ProposalForm,
    VoteForm,
)
from civic_consultation.models import Participant

# Query parameter of a shared link to a proposal: /voter/?proposition=<id>.
SHARED_PARAMETER = "proposition"


def api_url(name, consultation):
    """The API endpoint ``name`` of ``consultation``, or "" where the site mounts no API."""
    try:
        return reverse(f"civic_consultation_api:{name}", args=[consultation.pk])
    except NoReverseMatch:
        return ""


def shared_proposal_id(raw):
    """The proposal id of a shared link, or None when the parameter is not one."""
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


def proof_of_work_context(consultation, purpose):
    """What a form protected by the proof of work renders (_proof_of_work.html), or None when
    the site turned the check off."""
    if not proof_of_work.is_enabled():
        return None
    refresh_url = api_url("consultation-challenge", consultation)
    return {
        "challenge": proof_of_work.issue(consultation.pk, purpose),
        "field": proof_of_work.FIELD,
        "refresh_url": f"{refresh_url}?purpose={purpose}" if refresh_url else "",
    }


def base_context(page, request, **extra):
    """What every page of the consultation shows: question, counters, phases, routes."""
    consultation = page.consultation
    counters = consultation.counters()
    target = consultation.vote_target
    return {
        "page": page,
        "self": page,
        "request": request,
        "consultation": consultation,
        "counters": counters,
        "target_percent": min(100, round(100 * counters["votes"] / target)) if target else None,
        "phases": consultation.phases.all(),
        "themes": consultation.themes.all(),
        "routes": page.routes(),
        "is_open": consultation.is_open(),
        **extra,
    }


def _participant_id(page, request):
    return identity.participant_id_from_request(request, page.consultation_id)


def _join(page, request):
    return services.join(
        page.consultation,
        _participant_id(page, request),
        request.user,
        identity.client_address(request),
    )


def _redirect(page, route, participant=None):
    response = HttpResponseRedirect(page.routes()[route])
    if participant is not None:
        identity.remember(response, participant)
    return response


def page_route(name):
    """A page view under the permission table (``access.PAGE_ROUTES["page:<name>"]``): 403
    for a method or an actor the table does not allow."""

    def decorate(view):
        @functools.wraps(view)
        def checked(page, request):
            try:
                access.require_route(
                    access.Actor(request.user, request),
                    access.PAGE_ROUTES,
                    f"page:{name}",
                    request.method,
                    page.consultation_id,
                )
            except ConsultationError:
                raise PermissionDenied from None
            return view(page, request)

        return checked

    return decorate


@page_route("landing")
def landing(page, request):
    return render(request, "civic_consultation/landing.html", base_context(page, request))


@page_route("propose")
def propose(page, request):
    consultation = page.consultation
    participant = services.get_participant(
        consultation, _participant_id(page, request), request.user
    )
    form = ProposalForm(request.POST or None, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        try:
            proof_of_work.verify(
                request.POST.get(proof_of_work.FIELD, ""),
                consultation.pk,
                proof_of_work.PROPOSE,
            )
            participant = participant or _join(page, request)
            services.submit_proposal(
                participant,
                form.cleaned_data["text"],
                form.cleaned_data["theme"],
                identity.client_address(request),
            )
        except ConsultationError as error:
            form.add_error("text" if "text" in error.fields else None, error.message)
        else:
            messages.success(
                request,
                _("Thank you! Your proposal will be published once a moderator has read it."),
            )
            return _redirect(page, "propose", participant)
    own = participant.proposals.order_by("-created_at") if participant else []
    return render(
        request,
        "civic_consultation/propose.html",
        base_context(
            page,
            request,
            form=form,
            own_proposals=own,
            similar_url=api_url("consultation-similar", consultation),
            proof_of_work=proof_of_work_context(consultation, proof_of_work.PROPOSE),
        ),
    )


@page_route("vote")
def vote(page, request):
    if not page.consultation.is_open():
        return render(request, "civic_consultation/vote.html", base_context(page, request))
    error = None
    if request.method == "POST":
        # Only a contribution makes a participant: viewing the page (crawlers, link previews)
        # creates nothing and counts nobody.
        try:
            participant = _join(page, request)
        except ConsultationError as refused:
            context = base_context(page, request, error=refused.message)
            return render(request, "civic_consultation/vote.html", context, status=429)
        # A shared link offers a new sequence that opens with its proposal (counted apart,
        # capped); the resident starts it, like any sequence, with a proof of work.
        shared = shared_proposal_id(request.POST.get("shared", ""))
        error = handle_vote_post(request, participant, shared)
        if error is None:
            return _redirect(page, "vote", participant)
    else:
        participant = services.get_participant(
            page.consultation, _participant_id(page, request), request.user
        )
        shared = shared_proposal_id(request.GET.get(SHARED_PARAMETER, ""))
    start = shared is not None or participant is None or not participant.sequences
    cards, voted = ([], set()) if start else services.current_sequence(participant)
    remaining = [card for card in cards if card.proposal_id not in voted]
    groups = [
        {
            "value": value,
            "legend": QUALIFY_LEGENDS[value],
            "codes": [(code, QUALIFICATION_LABELS[code]) for code in codes],
        }
        for value, codes in scoring.QUALIFICATIONS.items()
    ]
    response = render(
        request,
        "civic_consultation/vote.html",
        base_context(
            page,
            request,
            participant=participant,
            cards=remaining,
            done=len(cards) - len(remaining),
            total=len(cards),
            values=list(VALUE_LABELS.items()),
            qualification_groups=groups,
            ask_profile=not start
            and not remaining
            and participant.profile_state == Participant.ProfileState.NOT_ASKED,
            profile_form=ProfileForm(),
            start=start,
            shared=shared,
            proof_of_work=proof_of_work_context(page.consultation, proof_of_work.SEQUENCE)
            if start or not remaining
            else None,
            error=error,
        ),
        status=400 if error else 200,
    )
    # A visit sets nothing; a refused contribution still keeps the participant it made.
    return identity.remember(response, participant) if request.method == "POST" else response


def handle_vote_post(request, participant, shared=None):
    """Apply the posted action; returns the error to show, or None. ``shared`` is the
    proposal a new sequence opens with."""
    action = request.POST.get("action", "vote")
    try:
        if action == "more":
            proof_of_work.verify(
                request.POST.get(proof_of_work.FIELD, ""),
                participant.consultation_id,
                proof_of_work.SEQUENCE,
            )
            services.next_cards(
                participant, shared=shared, address=identity.client_address(request)
            )
        elif action == "profile":
            form = ProfileForm(request.POST)
            if not form.is_valid():
                return _("The profile could not be saved.")
            services.answer_profile(participant, **form.cleaned_data)
        elif action == "skip_profile":
            services.skip_profile(participant)
        else:
            form = VoteForm(request.POST)
            if not form.is_valid():
                return _("Choose agree, disagree or neutral.")
            data = form.cleaned_data
            services.cast_vote(
                participant.pk,
                data["proposal"],
                data["value"],
                data["qualifications"],
                data["key"],
                consultation_id=participant.consultation_id,
                address=identity.client_address(request),
            )
    except ConsultationError as error:
        return error.message
    return None


@page_route("results")
def results(page, request):
    consultation = page.consultation
    dimension = request.GET.get("segment", "age_range")
    if dimension not in results_tables.SEGMENT_DIMENSIONS:
        dimension = "age_range"
    return render(
        request,
        "civic_consultation/results.html",
        base_context(
            page,
            request,
            results=results_tables.overview(consultation),
            segment_dimension=dimension,
            segments=results_tables.segments(consultation, dimension),
            export_url=api_url("consultation-export", consultation),
        ),
    )

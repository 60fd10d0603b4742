"""Views of the consultation API: a separate front-end can run a whole consultation with them
(join, propose, draw cards, vote, read results). They read, or call services; a domain error
raised under a view is answered by ``CivicAPIMixin`` (400/403/404/409/429)."""

import json

from django.db.models import OuterRef, Subquery, Sum
from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from civic_consultation import access, exports, identity, services
from civic_consultation import challenge as proof_of_work
from civic_consultation import results as tables
from civic_consultation.api import serializers as s
from civic_consultation.api.challenge import PURPOSE_PARAMETER, ChallengeSerializer, proof_header
from civic_consultation.models import CounterShard, Proposal
from civic_core.api import CivicAPIMixin
from civic_core.csv_export import streaming_csv_response


def _shard_total(field):
    return Subquery(
        CounterShard.objects.filter(consultation=OuterRef("pk"))
        .values("consultation")
        .annotate(total=Sum(field))
        .values("total")
    )


class TableAccess(BasePermission):
    """The plugin's permission table (``access.API_ROUTES``) for the route called; a view
    naming ``consultation_kwarg`` is checked within that consultation."""

    def has_permission(self, request, view):
        kwarg = getattr(view, "consultation_kwarg", None)
        raw = view.kwargs.get(kwarg, "") if kwarg else ""
        access.require_route(
            access.Actor(request.user, request),
            access.API_ROUTES,
            request.resolver_match.url_name,
            request.method,
            int(raw) if raw.isdigit() else None,
        )
        return True


NEEDS_PARTICIPANT = _("Join the consultation first (POST to its participant endpoint).")


class ConsultationViewSet(CivicAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Consultations, their participant session, cards, votes and results."""

    serializer_class = s.ConsultationSerializer
    lookup_value_regex = r"[0-9]{1,18}"
    permission_classes = [TableAccess]
    consultation_kwarg = "pk"

    def get_queryset(self):
        return (
            access.visible_consultations(self.request.user)
            .distinct()
            .annotate(
                total_participants=_shard_total("participants"),
                total_proposals=_shard_total("proposals"),
                total_votes=_shard_total("votes"),
            )
            .prefetch_related("themes", "phases")
            .order_by("-created_at", "pk")
        )

    def _participant_id(self, consultation_id):
        return access.Actor(self.request.user, self.request).participant_id(consultation_id)

    def _participant(self, consultation):
        participant = services.get_participant(
            consultation, self._participant_id(consultation.pk), self.request.user
        )
        if participant is None:
            raise exceptions.NotAuthenticated(NEEDS_PARTICIPANT)
        return participant

    def _consultation_id(self):
        try:
            return int(self.kwargs["pk"])
        except (TypeError, ValueError):
            raise exceptions.NotFound() from None

    # Participant ----------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        responses={200: s.ParticipantSerializer},
        summary="The current participant",
    )
    @extend_schema(
        methods=["POST"],
        request=None,
        responses={200: s.ParticipantSerializer, 201: s.ParticipantSerializer},
        summary="Join the consultation (or get the participant back)",
        description="Creates an anonymous participant (linked to the account when signed in) "
        "and returns its token; the response also sets a signed cookie.",
    )
    @action(detail=True, methods=["get", "post"])
    def participant(self, request, pk=None):
        consultation = self.get_object()
        if request.method == "GET":
            participant = self._participant(consultation)
            created = False
        else:
            known = services.get_participant(
                consultation, self._participant_id(consultation.pk), request.user
            )
            participant = services.join(
                consultation,
                self._participant_id(consultation.pk),
                request.user,
                identity.client_address(request),
            )
            created = known is None
        token = identity.make_token(participant)
        response = Response(
            s.ParticipantSerializer(participant, context={"token": token}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
        return identity.remember(response, participant)

    @extend_schema(
        request=s.ProfileSerializer,
        responses={200: s.ParticipantSerializer},
        summary="Answer (or skip) the optional profile, once",
    )
    @action(detail=True, methods=["post"])
    def profile(self, request, pk=None):
        consultation = self.get_object()
        participant = self._participant(consultation)
        serializer = s.ProfileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["skip"]:
            participant = services.skip_profile(participant)
        else:
            participant = services.answer_profile(
                participant, data.get("age_range", ""), data.get("district", "")
            )
        return Response(s.ParticipantSerializer(participant).data)

    # Proposals ------------------------------------------------------------------------------

    @extend_schema(
        parameters=[OpenApiParameter("text", OpenApiTypes.STR, required=True)],
        responses={200: s.SimilarSerializer},
        summary="Published proposals similar to a draft",
    )
    @action(detail=True, methods=["get"])
    def similar(self, request, pk=None):
        consultation = self.get_object()
        draft = request.query_params.get("text", "")[:2000]
        found = services.similar_proposals(consultation, draft) if draft.strip() else []
        return Response(
            {"results": [{"id": p.pk, "text": p.text, "score": score} for p, score in found]}
        )

    # Proof of work -------------------------------------------------------------------------

    @extend_schema(
        parameters=[PURPOSE_PARAMETER],
        responses={200: ChallengeSerializer},
        summary="A proof-of-work challenge to answer before proposing or drawing cards",
        description="Stateless and single-use: search the decimal nonce whose "
        "SHA-256(salt + nonce) starts with `difficulty` zero bits, then send "
        "`<challenge>.<nonce>` in the X-Proof-Of-Work header of the protected request.",
    )
    @action(detail=True, methods=["get"])
    def challenge(self, request, pk=None):
        consultation = self.get_object()
        issued = proof_of_work.issue(consultation.pk, request.query_params.get("purpose", ""))
        response = Response(ChallengeSerializer(issued).data)
        response["Cache-Control"] = "no-store"
        return response

    # Cards and votes ------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        responses={200: s.SequenceSerializer},
        summary="The participant's current sequence of cards",
        description="Empty (sequence 0) until the participant draws a first sequence by POST.",
    )
    @extend_schema(
        methods=["POST"],
        parameters=[proof_header(proof_of_work.SEQUENCE)],
        request=s.SequenceInputSerializer,
        responses={201: s.SequenceSerializer},
        summary="Draw a new sequence of cards",
    )
    @action(detail=True, methods=["get", "post"])
    def cards(self, request, pk=None):
        consultation = self.get_object()
        participant = self._participant(consultation)
        if request.method == "POST":
            serializer = s.SequenceInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            proof_of_work.verify(
                request.META.get(proof_of_work.HEADER, ""),
                consultation.pk,
                proof_of_work.SEQUENCE,
            )
            cards = services.next_cards(
                participant,
                shared=serializer.validated_data.get("shared"),
                address=identity.client_address(request),
            )
            voted = set()
        elif not participant.sequences:
            # Reading must not draw: a first sequence costs a proof of work like the others.
            cards, voted = [], set()
        else:
            cards, voted = services.current_sequence(participant)
        body = {
            "sequence": cards[0].sequence if cards else participant.sequences,
            "cards": s.CardSerializer(
                cards if request.method == "GET" else _with_proposals(cards),
                many=True,
                context={"voted": voted},
            ).data,
        }
        return Response(body, status=201 if request.method == "POST" else 200)

    @extend_schema(
        request=s.VoteInputSerializer,
        responses={200: s.VoteSerializer},
        summary="Vote on a proposal (a second vote replaces the first)",
    )
    # JSON only: the hottest endpoint skips choosing between renderers.
    @action(detail=True, methods=["post"], renderer_classes=[JSONRenderer])
    def vote(self, request, pk=None):
        # No consultation read here: the signed token names the participant, and the service
        # checks the proposal, its consultation and the card key in one transaction.
        consultation_id = self._consultation_id()
        participant_id = self._participant_id(consultation_id)
        if participant_id is None:
            raise exceptions.NotAuthenticated(NEEDS_PARTICIPANT)
        data = s.read_vote_input(request.data)
        vote = services.cast_vote(
            participant_id,
            data["proposal"],
            data["value"],
            data["qualifications"],
            data.get("key", ""),
            consultation_id=consultation_id,
            address=identity.client_address(request),
        )
        return Response(s.vote_representation(vote))

    # Results --------------------------------------------------------------------------------

    @extend_schema(responses={200: s.ResultsSerializer}, summary="Results from the counters")
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        return Response(tables.overview(self.get_object()))

    @extend_schema(
        parameters=[
            OpenApiParameter("dimension", OpenApiTypes.STR, enum=list(tables.SEGMENT_DIMENSIONS))
        ],
        responses={200: s.SegmentsSerializer},
        summary="Results per segment of participants",
    )
    @action(detail=True, methods=["get"])
    def segments(self, request, pk=None):
        dimension = request.query_params.get("dimension", "age_range")
        if dimension not in tables.SEGMENT_DIMENSIONS:
            raise exceptions.ValidationError({"dimension": [_("Unknown dimension.")]})
        consultation = self.get_object()
        return Response(
            {"dimension": dimension, "segments": tables.segments(consultation, dimension)}
        )

    @extend_schema(
        parameters=[OpenApiParameter("output", OpenApiTypes.STR, enum=["csv", "json"])],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV rows"),
            (200, "application/json"): s.ExportRowSerializer(many=True),
        },
        summary="Anonymised votes (CSV or JSON)",
    )
    @action(detail=True, methods=["get"], url_path="export", url_name="export")
    def export(self, request, pk=None):
        consultation = self.get_object()
        kind = request.query_params.get("output", "csv")
        if kind not in ("csv", "json"):
            raise exceptions.ValidationError({"output": [_("Choose csv or json.")]})
        rows = exports.anonymised_votes(consultation)
        filename = f"{consultation.slug}-votes.{kind}"
        if kind == "csv":
            return streaming_csv_response(filename, exports.table_rows(rows))
        response = StreamingHttpResponse(_json_lines(rows), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def _with_proposals(cards):
    proposals = Proposal.objects.in_bulk([card.proposal_id for card in cards])
    for card in cards:
        card.proposal = proposals[card.proposal_id]
    return cards


def _json_lines(rows):
    yield "["
    for index, row in enumerate(rows):
        yield ("," if index else "") + json.dumps(row)
    yield "]"


class ProposalViewSet(CivicAPIMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Published proposals (list filtered by consultation) and submission of new ones."""

    serializer_class = s.ProposalSerializer
    lookup_value_regex = r"[0-9]{1,18}"
    permission_classes = [TableAccess]

    def get_queryset(self):
        queryset = Proposal.objects.filter(
            status=Proposal.Status.ACCEPTED,
            consultation__in=access.visible_consultations(self.request.user),
        ).order_by("-created_at", "pk")
        if self.action == "list":
            consultation = self.request.query_params.get("consultation")
            theme = self.request.query_params.get("theme")
            if consultation:
                queryset = queryset.filter(consultation_id=_int_param("consultation", consultation))
            if theme:
                queryset = queryset.filter(theme_id=_int_param("theme", theme))
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter("consultation", OpenApiTypes.INT),
            OpenApiParameter("theme", OpenApiTypes.INT),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=[proof_header(proof_of_work.PROPOSE)],
        request=s.ProposalCreateSerializer,
        responses={201: s.ProposalSerializer},
        summary="Submit a proposal (published after moderation)",
    )
    def create(self, request, *args, **kwargs):
        serializer = s.ProposalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        consultation = data["consultation"]
        proof_of_work.verify(
            request.META.get(proof_of_work.HEADER, ""), consultation.pk, proof_of_work.PROPOSE
        )
        address = identity.client_address(request)
        participant = services.join(
            consultation,
            identity.participant_id_from_request(request, consultation.pk),
            request.user,
            address,
        )
        proposal = services.submit_proposal(participant, data["text"], data.get("theme"), address)
        response = Response(s.ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)
        return identity.remember(response, participant)


def _int_param(name, raw):
    if not raw.isdigit() or int(raw) > s.MAX_ID:
        raise exceptions.ValidationError({name: [_("A whole number is expected.")]})
    return int(raw)

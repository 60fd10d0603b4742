"""Viewsets of the participation API.

``public/...`` endpoints serve anyone the public view. The member endpoints need an account in
the member space; their lists hold only the items the reader's object permissions open
(``get_objects_for_user``), and every write goes through ``workflow.perform`` or ``services``.
"""

from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response

from civic_core.api import CivicAPIMixin
from civic_participation import access, permissions, public, services, statistics, workflow
from civic_participation.api import serializers as s
from civic_participation.downloads import attachment_response
from civic_participation.filters import (
    InvitationFilter,
    OfferFilter,
    PublicOfferFilter,
    PublicRequestFilter,
    RequestFilter,
)
from civic_participation.forms import StatisticsPeriodForm
from civic_participation.models import (
    CityService,
    Invitation,
    Offer,
    Request,
    Theme,
)


class Pagination(LimitOffsetPagination):
    default_limit = 20
    max_limit = 100


ERRORS = {
    400: OpenApiResponse(
        s.ParticipationErrorSerializer, description="Invalid input; nothing changed."
    ),
    403: OpenApiResponse(
        s.ParticipationErrorSerializer, description="Not allowed for this role or scope."
    ),
    404: OpenApiResponse(
        s.ParticipationErrorSerializer, description="No such item visible to the reader."
    ),
    409: OpenApiResponse(
        s.ParticipationErrorSerializer, description="Not possible in the current state."
    ),
}


class PublicViewSet(CivicAPIMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    pagination_class = Pagination
    filter_backends = [filters.DjangoFilterBackend]
    detail_serializer_class = None

    def get_serializer_class(self):
        if getattr(self, "action", None) == "retrieve" and self.detail_serializer_class:
            return self.detail_serializer_class
        return self.serializer_class


@extend_schema_view(
    list=extend_schema(summary="Public requests", tags=["participation: public"]),
    retrieve=extend_schema(
        summary="A public request and its public timeline", tags=["participation: public"]
    ),
)
class PublicRequestViewSet(PublicViewSet):
    serializer_class = s.ParticipationPublicRequestSerializer
    detail_serializer_class = s.ParticipationPublicRequestDetailSerializer
    filterset_class = PublicRequestFilter

    def get_queryset(self):
        queryset = public.requests()
        if getattr(self, "action", None) == "retrieve":
            queryset = public.with_public_events(queryset)
        return queryset


@extend_schema_view(
    list=extend_schema(
        summary="Public offers with each council's response", tags=["participation: public"]
    ),
    retrieve=extend_schema(
        summary="A public offer and its public timeline", tags=["participation: public"]
    ),
)
class PublicOfferViewSet(PublicViewSet):
    serializer_class = s.ParticipationPublicOfferSerializer
    detail_serializer_class = s.ParticipationPublicOfferDetailSerializer
    filterset_class = PublicOfferFilter

    def get_queryset(self):
        queryset = public.offers()
        if getattr(self, "action", None) == "retrieve":
            queryset = public.with_public_events(queryset)
        return queryset


@extend_schema_view(
    list=extend_schema(
        summary="Councils and their consenting members", tags=["participation: public"]
    ),
    retrieve=extend_schema(summary="A council", tags=["participation: public"]),
)
class PublicCouncilViewSet(PublicViewSet):
    serializer_class = s.ParticipationCouncilSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return public.councils()


@extend_schema_view(
    list=extend_schema(summary="City services", tags=["participation: public"]),
    retrieve=extend_schema(summary="A city service", tags=["participation: public"]),
)
class PublicServiceViewSet(PublicViewSet):
    serializer_class = s.ParticipationServiceSerializer
    queryset = CityService.objects.all()
    lookup_field = "slug"


@extend_schema_view(
    list=extend_schema(summary="Themes", tags=["participation: public"]),
    retrieve=extend_schema(summary="A theme", tags=["participation: public"]),
)
class ThemeViewSet(PublicViewSet):
    serializer_class = s.ParticipationThemeSerializer
    queryset = Theme.objects.all()
    lookup_field = "slug"


@extend_schema_view(
    list=extend_schema(
        summary="Transparency statistics per service and per council over a period",
        tags=["participation: public"],
        parameters=[
            OpenApiParameter(
                "start", OpenApiTypes.DATE, description="First day (default: a year ago)"
            ),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Last day (default: today)"),
        ],
        responses={200: s.ParticipationTransparencySerializer, 400: ERRORS[400]},
    )
)
class PublicStatisticsViewSet(CivicAPIMixin, viewsets.ViewSet):
    permission_classes = [AllowAny]

    def list(self, request):
        form = StatisticsPeriodForm(request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError(form.errors)
        figures = statistics.transparency(*form.period(), today=form.today)
        return Response(s.ParticipationTransparencySerializer(figures).data)


# Member space -----------------------------------------------------------------------------------


class MemberSpace(BasePermission):
    """Signed in and in one of the participation groups (object scope is in the querysets)."""

    def has_permission(self, request, view):
        return permissions.can_use_member_space(request.user)


# The class-level tag reaches every endpoint of the subclasses, including their own annotated
# actions: drf-spectacular puts the view's schema class under each action's.
@extend_schema(tags=["participation: members"])
class MemberViewSet(
    CivicAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [MemberSpace]
    pagination_class = Pagination
    filter_backends = [filters.DjangoFilterBackend]
    detail_serializer_class = None

    def get_serializer_class(self):
        # A transition action sets `serializer_class` to its input serializer (action kwargs).
        if getattr(self, "action", None) == "retrieve":
            return self.detail_serializer_class
        return self.serializer_class

    def run_transition(self, name):
        # The action's serializer documents the inputs; perform() cleans the raw body.
        item = workflow.perform(self.get_object(), name, self.request.user, self.request.data)
        item = self.get_queryset().get(pk=item.pk)
        return Response(
            self.detail_serializer_class(item, context=self.get_serializer_context()).data
        )

    def _thread(self, request, lister, writer, serializer_class):
        item = self.get_object()
        if request.method == "POST":
            posted = serializer_class(data=request.data)
            posted.is_valid(raise_exception=True)
            created = writer(request.user, item, posted.validated_data["body"])
            return Response(serializer_class(created).data, status=status.HTTP_201_CREATED)
        if lister is services.notes_for and not access.allows(
            request.user, access.READ_INTERNAL, item
        ):
            raise exceptions.PermissionDenied(_("Internal notes are for the city's staff."))
        page = self.paginate_queryset(lister(request.user, item))
        return self.get_paginated_response(serializer_class(page, many=True).data)


class AttachmentsMixin:
    """Members-only files of a request or an invitation: list, upload, download."""

    @extend_schema(methods=["GET"], responses={200: s.ParticipationAttachmentSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": s.ParticipationAttachmentUploadSerializer},
        responses={201: s.ParticipationAttachmentSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        """Members-only attachments of the discussion."""
        item = self.get_object()
        if request.method == "POST":
            upload = s.ParticipationAttachmentUploadSerializer(data=request.data)
            upload.is_valid(raise_exception=True)
            created = services.add_attachment(
                request.user,
                item,
                upload.validated_data.get("title"),
                upload.validated_data["file"],
            )
            data = s.ParticipationAttachmentSerializer(created).data
            return Response(data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(services.attachments_for(request.user, item))
        data = s.ParticipationAttachmentSerializer(page, many=True).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="Download an attachment (as a file, under its original name)",
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            404: ERRORS[404],
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_pk>[0-9]+)/download",
        url_name="attachment-download",
    )
    def download(self, request, pk=None, attachment_pk=None):
        item = self.get_object()
        attachment = services.readable_attachment(request.user, attachment_pk)
        if attachment is None or attachment.item != item:
            raise exceptions.NotFound(_("No such attachment on this item."))
        return attachment_response(attachment)


def add_transition_actions(viewset, model):
    """One documented POST endpoint per transition a person can run on `model`."""
    for transition_ in workflow.TRANSITIONS[model].values():
        if transition_.by_system:
            continue
        input_class = s.transition_serializer(transition_)

        def run(self, request, pk=None, _name=transition_.name):
            return self.run_transition(_name)

        run.__name__ = f"transition_{transition_.name}"
        run = action(
            detail=True,
            methods=["post"],
            url_path=f"transitions/{transition_.name.replace('_', '-')}",
            url_name=f"transition-{transition_.name.replace('_', '-')}",
            serializer_class=input_class,
        )(run)
        # After `action`, which replaces the function's `kwargs` where extend_schema keeps its
        # schema: applied before, the documentation below was silently dropped.
        run = extend_schema(
            summary=transition_.label,
            description=(
                f"Transition `{transition_.name}`: from "
                f"{', '.join(str(state) for state in transition_.sources)}."
            ),
            request=input_class if transition_.fields else None,
            responses={200: viewset.detail_serializer_class, **ERRORS},
        )(run)
        setattr(viewset, run.__name__, run)


@extend_schema_view(
    list=extend_schema(summary="Requests of my councils or services (all for coordinators)"),
    retrieve=extend_schema(summary="A request with the timeline I may read and my actions"),
    create=extend_schema(
        summary="Draft a request for one of my councils",
        request=s.ParticipationRequestDraftSerializer,
        responses={201: s.ParticipationMemberRequestDetailSerializer, **ERRORS},
    ),
)
class MemberRequestViewSet(AttachmentsMixin, mixins.CreateModelMixin, MemberViewSet):
    serializer_class = s.ParticipationMemberRequestSerializer
    detail_serializer_class = s.ParticipationMemberRequestDetailSerializer
    filterset_class = RequestFilter

    def get_queryset(self):
        queryset = (
            Request.objects.select_related("council", "service", "theme")
            .with_due_date()
            .with_answer_paused_on()
        )
        return permissions.requests_for(self.request.user, queryset).order_by("due_sort", "-pk")

    def create(self, request, *args, **kwargs):
        draft = s.ParticipationRequestDraftSerializer(data=request.data)
        draft.is_valid(raise_exception=True)
        item = services.create_request(request.user, **draft.validated_data)
        item = self.get_queryset().get(pk=item.pk)
        data = self.detail_serializer_class(item, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: s.ParticipationMessageSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request=s.ParticipationMessageSerializer,
        responses={201: s.ParticipationMessageSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"])
    def messages(self, request, pk=None):
        """Members-only discussion of the request."""
        return self._thread(
            request, services.messages_for, services.post_message, s.ParticipationMessageSerializer
        )

    @extend_schema(
        methods=["GET"], responses={200: s.ParticipationNoteSerializer(many=True), 403: ERRORS[403]}
    )
    @extend_schema(
        methods=["POST"],
        request=s.ParticipationNoteSerializer,
        responses={201: s.ParticipationNoteSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"])
    def notes(self, request, pk=None):
        """City-internal notes (agents of the service and coordinators)."""
        return self._thread(
            request, services.notes_for, services.add_note, s.ParticipationNoteSerializer
        )


@extend_schema_view(
    list=extend_schema(summary="Offers of my services, or addressed to my councils"),
    retrieve=extend_schema(summary="An offer with the timeline I may read and my actions"),
    create=extend_schema(
        summary="Draft an offer for one of my services",
        request=s.ParticipationOfferDraftSerializer,
        responses={201: s.ParticipationMemberOfferDetailSerializer, **ERRORS},
    ),
)
class MemberOfferViewSet(mixins.CreateModelMixin, MemberViewSet):
    serializer_class = s.ParticipationMemberOfferSerializer
    detail_serializer_class = s.ParticipationMemberOfferDetailSerializer
    filterset_class = OfferFilter

    def get_queryset(self):
        queryset = public.offers_base(Offer.objects.all())
        return permissions.offers_for(self.request.user, queryset).order_by("-pk")

    def create(self, request, *args, **kwargs):
        draft = s.ParticipationOfferDraftSerializer(data=request.data)
        draft.is_valid(raise_exception=True)
        item = services.create_offer(request.user, **draft.validated_data)
        item = self.get_queryset().get(pk=item.pk)
        data = self.detail_serializer_class(item, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"], responses={200: s.ParticipationNoteSerializer(many=True), 403: ERRORS[403]}
    )
    @extend_schema(
        methods=["POST"],
        request=s.ParticipationNoteSerializer,
        responses={201: s.ParticipationNoteSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"])
    def notes(self, request, pk=None):
        """City-internal notes on the offer."""
        return self._thread(
            request, services.notes_for, services.add_note, s.ParticipationNoteSerializer
        )


@extend_schema_view(
    list=extend_schema(summary="Invitations to my councils, or from my services' offers"),
    retrieve=extend_schema(summary="An invitation with its timeline and my actions"),
)
class MemberInvitationViewSet(AttachmentsMixin, MemberViewSet):
    serializer_class = s.ParticipationMemberInvitationSerializer
    detail_serializer_class = s.ParticipationMemberInvitationDetailSerializer
    filterset_class = InvitationFilter

    def get_queryset(self):
        queryset = Invitation.objects.select_related("council", "offer", "offer__service")
        return permissions.invitations_for(self.request.user, queryset).order_by("-pk")

    @extend_schema(methods=["GET"], responses={200: s.ParticipationMessageSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request=s.ParticipationMessageSerializer,
        responses={201: s.ParticipationMessageSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"])
    def messages(self, request, pk=None):
        """Discussion between the council and the service about this invitation."""
        return self._thread(
            request, services.messages_for, services.post_message, s.ParticipationMessageSerializer
        )


add_transition_actions(MemberRequestViewSet, Request)
add_transition_actions(MemberOfferViewSet, Offer)
add_transition_actions(MemberInvitationViewSet, Invitation)

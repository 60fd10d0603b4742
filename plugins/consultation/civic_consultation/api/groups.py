"""Opinion groups of a consultation over the API: the latest run stored by the background task
(tasks.py), read through results.py like the results page."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from civic_consultation import access
from civic_consultation import results as tables
from civic_consultation.api import serializers as s
from civic_consultation.api.views import TableAccess
from civic_core.api import CivicAPIMixin


class OpinionGroupsView(CivicAPIMixin, APIView):
    permission_classes = [TableAccess]
    consultation_kwarg = "pk"

    @extend_schema(
        responses={200: s.OpinionGroupsSerializer, 404: OpenApiResponse(description="Not found")},
        summary="Opinion groups, bridging ranking and results per identity level",
        description=(
            "Computed in the background every few minutes from the trusted votes "
            "(PCA of the vote matrix, k-means, number of groups by silhouette). Groups are "
            "given by their size and votes only: no participant is listed. Before the first "
            "computation, computed_at is null and the lists are empty."
        ),
    )
    def get(self, request, pk):
        consultation = get_object_or_404(
            access.visible_consultations(request.user).distinct(), pk=pk
        )
        return Response(s.OpinionGroupsSerializer(tables.opinion_groups(consultation)).data)

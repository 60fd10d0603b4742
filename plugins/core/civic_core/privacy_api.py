"""``GET /api/me/data/``: the signed-in person's data as JSON, the API twin of the download.

Session or token authentication; the same once-a-minute limit as the page (429 sooner).
A site routes it where it likes: ``path("me/data/", PersonalDataView.as_view())``.
"""

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from civic_core import privacy
from civic_core.api import CivicAPIMixin


class PersonalDataView(CivicAPIMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Everything the site holds about the signed-in person",
        description="The account, the site's own data and one section per installed plugin, "
        "as the 'Mes données' page downloads it. Once a minute per person (429 sooner).",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        privacy.claim_export(request.user)
        response = Response(privacy.export_personal_data(request.user))
        response["Cache-Control"] = "no-store"
        return response

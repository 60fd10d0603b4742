"""API of the consultation plugin, mounted by the site under /api/consultation/."""

from django.urls import re_path
from rest_framework.routers import DefaultRouter

from civic_consultation.api.groups import OpinionGroupsView
from civic_consultation.api.views import ConsultationViewSet, ProposalViewSet

app_name = "civic_consultation_api"

router = DefaultRouter()
router.register("consultations", ConsultationViewSet, basename="consultation")
router.register("proposals", ProposalViewSet, basename="proposal")

urlpatterns = [
    # Ids as long as the consultations' own routes accept (a 64-bit key, never an overflow).
    re_path(
        r"^consultations/(?P<pk>[0-9]{1,18})/opinion-groups/$",
        OpinionGroupsView.as_view(),
        name="consultation-opinion-groups",
    ),
    *router.urls,
]

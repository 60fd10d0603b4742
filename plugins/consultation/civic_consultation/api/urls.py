"""API of the consultation plugin, mounted by the site under /api/consultation/."""

from rest_framework.routers import DefaultRouter

from civic_consultation.api.views import ConsultationViewSet, ProposalViewSet

app_name = "civic_consultation_api"

router = DefaultRouter()
router.register("consultations", ConsultationViewSet, basename="consultation")
router.register("proposals", ProposalViewSet, basename="proposal")

urlpatterns = router.urls

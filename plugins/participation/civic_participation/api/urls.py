"""API of the participation plugin, mounted by the site under /api/participation/."""

from rest_framework.routers import DefaultRouter

from civic_participation.api import views

app_name = "civic_participation_api"

router = DefaultRouter()
router.register("public/requests", views.PublicRequestViewSet, basename="public-request")
router.register("public/offers", views.PublicOfferViewSet, basename="public-offer")
router.register("public/councils", views.PublicCouncilViewSet, basename="public-council")
router.register("public/services", views.PublicServiceViewSet, basename="public-service")
router.register("public/themes", views.ThemeViewSet, basename="public-theme")
router.register("public/statistics", views.PublicStatisticsViewSet, basename="public-statistics")
router.register("requests", views.MemberRequestViewSet, basename="request")
router.register("offers", views.MemberOfferViewSet, basename="offer")
router.register("invitations", views.MemberInvitationViewSet, basename="invitation")

urlpatterns = router.urls

"""API of the budget plugin, mounted by the site under /api/budget/."""

from rest_framework.routers import DefaultRouter

from civic_budget.api import views

app_name = "civic_budget_api"

router = DefaultRouter()
router.register("processes", views.ProcessViewSet, basename="process")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("polling-places", views.PollingPlaceViewSet, basename="polling-place")
router.register("paper-entries", views.PaperEntryViewSet, basename="paper-entry")

urlpatterns = router.urls

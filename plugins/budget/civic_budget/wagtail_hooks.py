"""Member-space (Wagtail admin) wiring of the budget plugin: listings with wagtail-modeladmin,
actions through the views of ``admin_views`` (which call the services)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from civic_budget import admin_views, permissions
from civic_budget.models import IdentityContest, PollingPlace, Process, Project, Zone


class ReadOnlyPermissionHelper(PermissionHelper):
    """Projects change only through the review view: no generic create, edit or delete."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class ProjectButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        buttons.insert(
            0,
            {
                "url": admin_views.project_review_url(obj),
                "label": _("Review"),
                "classname": "button button-small button-secondary",
                "title": _("Moderate, review or discuss this project"),
            },
        )
        return buttons


class BudgetModelAdmin(ModelAdmin):
    # modeladmin's history view checks no permission: any member could read who changed what.
    history_view_enabled = False


class ProjectAdmin(BudgetModelAdmin):
    model = Project
    menu_label = _("Projects to review")
    menu_icon = "tasks"
    list_display = ("title", "zone", "status", "estimated_cost_cents", "reviewed_cost_cents")
    list_filter = ("status", "process", "zone")
    search_fields = ("title", "description", "location")
    inspect_view_enabled = True
    permission_helper_class = ReadOnlyPermissionHelper
    button_helper_class = ProjectButtonHelper

    def get_queryset(self, request):
        return permissions.reviewable_projects(request.user).select_related("zone")


class ProcessButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if obj.frozen_at is not None:
            buttons.append(
                {
                    "url": reverse("civic_budget_export_pabulib", args=[obj.pk]),
                    "label": _("Export (pabulib)"),
                    "classname": "button button-small button-secondary",
                    "title": _("Anonymised ballots, projects and counting rule as .pb files"),
                }
            )
        return buttons


class ProcessAdmin(BudgetModelAdmin):
    model = Process
    button_helper_class = ProcessButtonHelper
    menu_label = _("Processes")
    menu_icon = "date"
    list_display = ("title", "vote_open", "vote_close", "total_budget_cents")
    # Written by the count and the purge only: the proof of what was counted and when the
    # identities went.
    form_fields_exclude = ("frozen_ballots_hash", "frozen_at", "identities_purged_at")


class ZoneAdmin(BudgetModelAdmin):
    model = Zone
    menu_icon = "site"
    list_display = ("name", "process", "kind", "budget_cents", "population", "ballot_rule")
    list_filter = ("process", "kind")


class PollingPlaceAdmin(BudgetModelAdmin):
    model = PollingPlace
    menu_icon = "home"
    list_display = ("name", "process", "address")


class ContestButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        return [
            {
                "url": admin_views.contest_url(obj),
                "label": _("Decide") if obj.status == obj.OPEN else _("See the decision"),
                "classname": "button button-small button-secondary",
                "title": _("Uphold or dismiss this contest"),
            }
        ]


class IdentityContestAdmin(BudgetModelAdmin):
    """Contests change only through the decision view (``contests.decide_contest``)."""

    model = IdentityContest
    menu_label = _("Identity contests")
    menu_icon = "warning"
    list_display = ("pk", "process", "opened_on", "status", "decided_on")
    list_filter = ("status", "process")
    permission_helper_class = ReadOnlyPermissionHelper
    button_helper_class = ContestButtonHelper


class BudgetAdminGroup(ModelAdminGroup):
    menu_label = _("Participatory budget")
    menu_icon = "form"
    menu_order = 320
    items = (ProjectAdmin, ProcessAdmin, ZoneAdmin, PollingPlaceAdmin, IdentityContestAdmin)


modeladmin_register(BudgetAdminGroup)


@hooks.register("register_admin_urls")
def register_budget_admin_urls():
    return [
        path("budget/review/<int:pk>/", admin_views.review_project, name="civic_budget_review"),
        path("budget/paper/", admin_views.paper_ballots, name="civic_budget_paper"),
        path("budget/contests/<int:pk>/", admin_views.decide_contest, name="civic_budget_contest"),
        path(
            "budget/processes/<int:pk>/pabulib/",
            admin_views.export_pabulib,
            name="civic_budget_export_pabulib",
        ),
        path(
            "budget/paper/<int:pk>/confirm/",
            admin_views.confirm_paper_ballot,
            name="civic_budget_paper_confirm",
        ),
    ]


class PollingAgentMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.is_polling_agent(request.user)


@hooks.register("register_admin_menu_item")
def register_paper_ballots_menu_item():
    return PollingAgentMenuItem(
        _("Paper ballots"), reverse("civic_budget_paper"), icon_name="doc-full", order=330
    )

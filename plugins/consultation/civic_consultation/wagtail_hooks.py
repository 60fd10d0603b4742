"""Member-space (Wagtail admin) wiring of the consultation plugin: consultations and proposals
listed with wagtail-modeladmin, the moderation queue as admin views calling services."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import HistoryView

from civic_consultation import access, admin_views
from civic_consultation.models import Consultation, Proposal
from civic_consultation.permissions import moderated_consultations


class TablePermissionHelper(PermissionHelper):
    """The listings and their actions under the permission table (``access.PERMISSIONS``):
    ``kind`` is the object kind, ``write`` and ``delete`` the actions its forms need."""

    kind = "consultation"
    write = "write"
    delete = "delete"

    def _may(self, user, action, obj=None):
        consultation_id = None if obj is None else getattr(obj, "consultation_id", obj.pk)
        return access.may(access.Actor(user), self.kind, action, consultation_id)

    def user_has_any_permissions(self, user):
        return self.user_can_list(user)

    def user_can_list(self, user):
        return self._may(user, "manage")

    def user_can_inspect_obj(self, user, obj):
        return self._may(user, "manage", obj)

    def user_can_create(self, user):
        return self._may(user, self.write)

    def user_can_edit_obj(self, user, obj):
        return self._may(user, self.write, obj)

    def user_can_delete_obj(self, user, obj):
        return self._may(user, self.delete, obj)


class TableHistoryView(HistoryView):
    """An object's history, for those who may inspect it (modeladmin shows it to anyone in the
    member space)."""

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_inspect_obj(user, self.instance)


class ConsultationAdmin(ModelAdmin):
    model = Consultation
    permission_helper_class = TablePermissionHelper
    history_view_class = TableHistoryView
    menu_label = _("Consultations")
    menu_icon = "help"
    list_display = ("title", "status", "opens_at", "closes_at", "vote_target")
    list_filter = ("status",)
    search_fields = ("title", "question")
    inspect_view_enabled = True


class ProposalPermissionHelper(TablePermissionHelper):
    """Proposals change only through the moderation views (which call services): their
    listing's forms are nobody's (``("proposal", "change")``)."""

    kind = "proposal"
    write = delete = "change"


class ProposalAdmin(ModelAdmin):
    model = Proposal
    menu_label = _("Proposals")
    menu_icon = "doc-full"
    permission_helper_class = ProposalPermissionHelper
    history_view_class = TableHistoryView
    list_display = ("text", "consultation", "status", "theme", "zone", "trusted_votes")
    list_filter = ("status", "zone", "consultation")
    search_fields = ("text",)
    inspect_view_enabled = True
    inspect_view_fields = (
        "text",
        "consultation",
        "theme",
        "status",
        "refusal_reason",
        "idea",
        "duplicate_of",
        "agree",
        "disagree",
        "neutral",
        "untrusted_agree",
        "untrusted_disagree",
        "untrusted_neutral",
        "zone",
        "created_at",
        "moderated_at",
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(consultation__in=moderated_consultations(request.user))
            .select_related("consultation", "theme")
        )


class ConsultationGroup(ModelAdminGroup):
    menu_label = _("Consultation")
    menu_icon = "group"
    menu_order = 310
    items = (ConsultationAdmin, ProposalAdmin)

    def get_submenu_items(self):
        items = super().get_submenu_items()
        items.append(
            ModerationMenuItem(
                _("Moderation queue"),
                reverse("civic_consultation_moderation"),
                icon_name="list-ul",
                order=50,
            )
        )
        return items


class ModerationMenuItem(MenuItem):
    def is_shown(self, request):
        return access.may(access.Actor(request.user), "proposal", "moderate")


modeladmin_register(ConsultationGroup)


@hooks.register("register_admin_urls")
def moderation_urls():
    return [
        path(
            "consultation-moderation/",
            admin_views.consultations,
            name="civic_consultation_moderation",
        ),
        path(
            "consultation-moderation/<int:consultation_id>/",
            admin_views.queue,
            name="civic_consultation_queue",
        ),
        path(
            "consultation-moderation/<int:consultation_id>/next/",
            admin_views.review_next,
            name="civic_consultation_review_next",
        ),
        path(
            "consultation-moderation/<int:consultation_id>/flagged/",
            admin_views.flagged,
            name="civic_consultation_flagged",
        ),
        path(
            "consultation-moderation/proposal/<int:proposal_id>/",
            admin_views.review,
            name="civic_consultation_review",
        ),
    ]

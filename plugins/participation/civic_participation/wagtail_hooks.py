"""Member-space (Wagtail admin) wiring of the participation plugin.

The registrations keep to options that map onto Wagtail ViewSets (model, menu, list display and
filters, search, queryset, permission policy, inspect view). What each person sees comes from
``permissions``; every write goes through the views of ``admin_views``, which call the workflow.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.account import BaseSettingsPanel
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import HistoryView, IndexView, InspectView

from civic_core import admin_urls
from civic_participation import access, admin_views, deadlines, permissions, services, workflow
from civic_participation.adapter import get_adapter
from civic_participation.forms import (
    AttachmentForm,
    CityServiceForm,
    CouncilMembershipForm,
    MessageForm,
    NoteForm,
    ReminderPreferenceForm,
    ServiceMembershipForm,
)
from civic_participation.models import (
    CityService,
    ClosureDay,
    Council,
    CouncilMembership,
    DeadlinePolicy,
    Invitation,
    Offer,
    ReminderDelivery,
    ReminderPreference,
    Request,
    RoutingQueueItem,
    ServiceMembership,
    Theme,
)


class ScopedPermissionHelper(PermissionHelper):
    """Lists for anyone in the member space; each object only for those who may see it."""

    def user_can_list(self, user):
        return permissions.can_use_member_space(user)

    def user_can_create(self, user):
        return False

    def user_can_inspect_obj(self, user, obj):
        return access.allows(user, access.READ, obj)

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class RoutingPermissionHelper(ScopedPermissionHelper):
    def user_can_list(self, user):
        return permissions.is_coordinator(user)

    def user_can_inspect_obj(self, user, obj):
        # Rows link to the request itself (see routing_link).
        return False


class CheckedHistoryView(HistoryView):
    """wagtail_modeladmin's history view checks no permission, so anyone in the admin would
    read an object's title and log: it opens to those who inspect the object (edit it, for
    tables without an inspect view)."""

    def dispatch(self, request, *args, **kwargs):
        helper, user = self.permission_helper, request.user
        if self.model_admin.inspect_view_enabled:
            allowed = helper.user_can_inspect_obj(user, self.instance)
        else:
            allowed = helper.user_can_edit_obj(user, self.instance)
        if not allowed:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ParticipationModelAdmin(ModelAdmin):
    history_view_class = CheckedHistoryView


class ItemIndexView(IndexView):
    """The list with a button to draft a new item (requests for councils, offers for agents)."""

    new_url_name = None
    drafting_scope = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        may_draft = self.drafting_scope(self.request.user).exists()
        context["new_url"] = reverse(self.new_url_name) if may_draft else None
        return context


class RequestIndexView(ItemIndexView):
    new_url_name = "civic_participation_new_request"
    drafting_scope = staticmethod(permissions.councils_user_can_draft_for)


class OfferIndexView(ItemIndexView):
    new_url_name = "civic_participation_new_offer"
    drafting_scope = staticmethod(permissions.services_user_can_draft_for)


class ItemInspectView(InspectView):
    """An item's member page: facts, timeline at the reader's levels, actions, discussion,
    attachments and (for the city) internal notes."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, item = self.request.user, self.instance
        kind = item._meta.model_name
        context.update(
            {
                "item": item,
                "kind": kind,
                "events": services.events_for(user, item),
                "actions": workflow.available_transitions(item, user),
                "has_discussion": not isinstance(item, Offer),
                "can_discuss": access.allows(user, access.DISCUSS, item),
                "discussion": services.messages_for(user, item),
                "attachments": services.attachments_for(user, item),
                "has_notes": not isinstance(item, Invitation)
                and access.allows(user, access.READ_INTERNAL, item),
                "can_note": access.allows(user, access.NOTE, item),
                "notes": services.notes_for(user, item),
                "deadlines": item.deadlines.all(),
                "can_extend": deadlines.can_extend(user, item),
                "message_form": MessageForm(),
                "note_form": NoteForm(),
                "attachment_form": AttachmentForm(),
            }
        )
        if isinstance(item, Invitation):
            context["offer_url"] = admin_urls.inspect_url(item.offer)
        if isinstance(item, Offer):
            invitations = permissions.invitations_for(
                user, item.invitations.select_related("council")
            )
            context["invitations"] = [
                (invitation, admin_urls.inspect_url(invitation)) for invitation in invitations
            ]
        return context


def due_badge(item):
    late = item.days_overdue()
    if late:
        return format_html(
            '<span class="w-status w-status--label">{} {}</span>', _("Overdue"), late
        )
    return item.current_due or "—"


due_badge.short_description = _("Due")


def reference(item):
    return item.reference


reference.short_description = _("Reference")


class ItemAdmin(ParticipationModelAdmin):
    inspect_view_enabled = True
    inspect_view_class = ItemInspectView
    inspect_template_name = "civic_participation/admin/inspect.html"
    index_template_name = "civic_participation/admin/index.html"
    list_per_page = 25
    scope = None

    def base_queryset(self):
        return self.model._default_manager.all()

    def get_queryset(self, request):
        queryset = self.scope(request.user, self.base_queryset())
        return queryset.order_by(*self.get_ordering(request))


class RequestAdmin(ItemAdmin):
    model = Request
    menu_label = _("Requests")
    menu_icon = "mail"
    permission_helper_class = ScopedPermissionHelper
    index_view_class = RequestIndexView
    list_display = ("title", reference, "council", "service", "state", due_badge)
    list_filter = ("state", "council", "service")
    search_fields = ("title", "description")
    ordering = ("due_sort", "-pk")
    scope = staticmethod(permissions.requests_for)

    def base_queryset(self):
        return super().base_queryset().select_related("council", "service").with_due_date()


def routing_link(item):
    # A row is a RoutingQueueItem (proxy); it links to the request's own member page.
    url = admin_urls.inspect_url(Request(pk=item.pk))
    return format_html('<a href="{}">{}</a>', url, item.title)


routing_link.short_description = _("Request")


class RoutingQueueAdmin(RequestAdmin):
    """Submitted and acknowledged requests, for coordinators to route; rows open the request."""

    model = RoutingQueueItem
    menu_label = _("Routing queue")
    menu_icon = "list-ul"
    permission_helper_class = RoutingPermissionHelper
    index_view_class = IndexView
    inspect_view_enabled = False
    list_display = (reference, routing_link, "council", "service", "state", due_badge)
    list_filter = ("council", "service")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(state__in=[Request.State.SUBMITTED, Request.State.ACKNOWLEDGED])
        )


class OfferAdmin(ItemAdmin):
    model = Offer
    menu_label = _("Offers")
    menu_icon = "openquote"
    permission_helper_class = ScopedPermissionHelper
    index_view_class = OfferIndexView
    list_display = ("title", reference, "service", "state", "respond_by", due_badge)
    list_filter = ("state", "service")
    search_fields = ("title", "description")
    ordering = ("-pk",)
    scope = staticmethod(permissions.offers_for)


class InvitationAdmin(ItemAdmin):
    model = Invitation
    menu_label = _("Invitations")
    menu_icon = "mail"
    permission_helper_class = ScopedPermissionHelper
    list_display = ("offer", "council", "state", "acknowledge_due")
    list_filter = ("state", "council")
    ordering = ("-pk",)
    scope = staticmethod(permissions.invitations_for)


def council_kind_choices():
    return get_adapter().council_kinds()


class CouncilAdmin(ParticipationModelAdmin):
    model = Council
    menu_icon = "group"
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        # The kinds of council are the city's (settings or adapter), not fixed in the model.
        FieldPanel("kind", widget=forms.Select(choices=council_kind_choices)),
        FieldPanel("territory"),
        FieldPanel("description"),
        FieldPanel("contact_email"),
        FieldPanel("is_active"),
    ]
    list_display = ("name", "kind", "territory", "is_active")
    search_fields = ("name", "territory")


class CouncilMembershipAdmin(ParticipationModelAdmin):
    model = CouncilMembership
    menu_icon = "user"
    edit_handler = ObjectList(
        [FieldPanel(name) for name in ("council", "user", "role", "listed_publicly", "public_name")]
        + [FieldPanel("joined_on")],
        base_form_class=CouncilMembershipForm,
    )
    list_display = ("user", "council", "role", "listed_publicly")
    list_filter = ("council", "role")


class CityServiceAdmin(ParticipationModelAdmin):
    model = CityService
    menu_icon = "cogs"
    edit_handler = ObjectList(
        [
            FieldPanel(name)
            for name in ("name", "slug", "description", "contact_email", "contact_channel")
        ]
        + [FieldPanel("staff", widget=forms.CheckboxSelectMultiple)],
        base_form_class=CityServiceForm,
    )
    list_display = ("name", "contact_email")


class ServiceMembershipAdmin(ParticipationModelAdmin):
    model = ServiceMembership
    menu_icon = "user"
    edit_handler = ObjectList(
        [FieldPanel("service"), FieldPanel("user"), FieldPanel("role")],
        base_form_class=ServiceMembershipForm,
    )
    list_display = ("user", "service", "role")
    list_filter = ("service", "role")


class ThemeAdmin(ParticipationModelAdmin):
    model = Theme
    menu_icon = "tag"


class ClosureDayAdmin(ParticipationModelAdmin):
    model = ClosureDay
    menu_icon = "date"
    list_display = ("day", "label")


class PolicyPermissionHelper(PermissionHelper):
    """A policy is versioned: a new rule is a new row, so deadlines keep the rule they used."""

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class DeadlinePolicyAdmin(ParticipationModelAdmin):
    model = DeadlinePolicy
    menu_icon = "time"
    permission_helper_class = PolicyPermissionHelper
    panels = [
        FieldPanel(name)
        for name in ("kind", "days", "counting", "service", "council", "theme", "valid_from")
    ]
    list_display = ("kind", "days", "counting", "service", "council", "theme", "valid_from")
    list_filter = ("kind", "service", "council", "theme")


class ReminderPermissionHelper(PermissionHelper):
    """Everyone in the member space lists the reminders addressed to them; nobody edits."""

    def user_can_list(self, user):
        return permissions.can_use_member_space(user)

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


def reminder_item(delivery):
    item = delivery.reminder.deadline.item
    return format_html('<a href="{}">{}</a>', admin_urls.inspect_url(item), item)


reminder_item.short_description = _("Item")


def reminder_step(delivery):
    return delivery.reminder.get_step_display()


reminder_step.short_description = _("Step")


def reminder_due(delivery):
    return delivery.reminder.deadline.due_on


reminder_due.short_description = _("Due")


class ReminderDeliveryAdmin(ParticipationModelAdmin):
    model = ReminderDelivery
    menu_label = _("My reminders")
    menu_icon = "warning"
    permission_helper_class = ReminderPermissionHelper
    list_display = (reminder_step, reminder_item, reminder_due, "status")
    list_filter = ("status", "is_escalation")
    ordering = ("-reminder__recorded_at", "-pk")

    def get_queryset(self, request):
        return (
            ReminderDelivery.objects.filter(recipient=request.user)
            .select_related(
                "reminder__deadline__request",
                "reminder__deadline__offer",
                "reminder__deadline__invitation__offer",
                "reminder__deadline__invitation__council",
            )
            .order_by(*self.get_ordering(request))
        )


@hooks.register("register_account_settings_panel")
class ReminderPreferencePanel(BaseSettingsPanel):
    name = "participation_reminders"
    title = _("Participation reminders")
    order = 500
    form_class = ReminderPreferenceForm

    def is_active(self):
        return permissions.can_use_member_space(self.user)

    def get_form(self):
        preference = ReminderPreference.objects.filter(user=self.user).first()
        instance = preference or ReminderPreference(user=self.user)
        if self.request.method == "POST":
            return self.form_class(self.request.POST, instance=instance, prefix=self.name)
        return self.form_class(instance=instance, prefix=self.name)


@modeladmin_register
class ParticipationGroup(ModelAdminGroup):
    menu_label = _("Participation")
    menu_icon = "group"
    menu_order = 250
    items = (
        RequestAdmin,
        RoutingQueueAdmin,
        OfferAdmin,
        InvitationAdmin,
        CouncilAdmin,
        CouncilMembershipAdmin,
        CityServiceAdmin,
        ServiceMembershipAdmin,
        ThemeAdmin,
        ReminderDeliveryAdmin,
        ClosureDayAdmin,
        DeadlinePolicyAdmin,
    )


@hooks.register("register_admin_urls")
def register_participation_urls():
    kinds = "<str:kind>/<int:pk>"
    return [
        path(
            "participation/requests/new/",
            admin_views.new_request_view,
            name="civic_participation_new_request",
        ),
        path(
            "participation/offers/new/",
            admin_views.new_offer_view,
            name="civic_participation_new_offer",
        ),
        path(
            f"participation/{kinds}/actions/<str:name>/",
            admin_views.transition_view,
            name="civic_participation_transition",
        ),
        path(
            f"participation/{kinds}/messages/",
            admin_views.message_view,
            name="civic_participation_message",
        ),
        path(
            f"participation/{kinds}/notes/", admin_views.note_view, name="civic_participation_note"
        ),
        path(
            f"participation/{kinds}/attachments/",
            admin_views.attachment_view,
            name="civic_participation_attachment",
        ),
        path(
            "participation/deadlines/<int:pk>/extend/",
            admin_views.extend_deadline_view,
            name="civic_participation_extend_deadline",
        ),
        path(
            "participation/attachments/<int:pk>/",
            admin_views.download_view,
            name="civic_participation_download",
        ),
    ]

"""The filters of the item lists: one FilterSet per list, shared by the public index page and
the API (whose schema documents them).

The API refuses an invalid value (400); the index page ignores it and applies the others.
"""

import django_filters as filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from civic_participation.models import CityService, Council, Invitation, Offer, Request, Theme


class OverdueField(forms.ChoiceField):
    """``yes``/``no`` as the index page's select sends them; ``true``/``false`` as well."""

    ALIASES = {"true": "yes", "false": "no"}

    def to_python(self, value):
        value = super().to_python(value)
        return self.ALIASES.get(value.lower(), value)


@extend_schema_field({"type": "string", "enum": ["yes", "no", "true", "false"]})
class OverdueFilter(filters.Filter):
    """Only the items whose current deadline has passed (``yes``), or only the others."""

    field_class = OverdueField

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Deadline"))
        choices = [("", _("All")), ("yes", _("Overdue only")), ("no", _("On time only"))]
        super().__init__(choices=choices, **kwargs)

    def filter(self, qs, value):
        if value == "yes":
            return qs.overdue()
        if value == "no":
            return qs.not_overdue()
        return qs


def _slug_filter(queryset, label, empty_label, **kwargs):
    return filters.ModelChoiceFilter(
        queryset=queryset, to_field_name="slug", label=label, empty_label=empty_label, **kwargs
    )


def _state_filter(model, public):
    states = [
        (value, label)
        for value, label in model.State.choices
        if not (public and value == model.State.DRAFT)
    ]
    return filters.ChoiceFilter(choices=states, label=_("State"), empty_label=_("All states"))


class RequestFilter(filters.FilterSet):
    """Requests by council, service, theme (slugs), state and deadline."""

    council = _slug_filter(Council.objects.filter(is_active=True), _("Council"), _("All councils"))
    service = _slug_filter(CityService.objects.all(), _("Service"), _("All services"))
    theme = _slug_filter(Theme.objects.all(), _("Theme"), _("All themes"))
    state = _state_filter(Request, public=False)
    overdue = OverdueFilter()

    class Meta:
        model = Request
        fields = ["council", "service", "theme", "state", "overdue"]


class PublicRequestFilter(RequestFilter):
    """The same, without the draft state nobody outside the council sees."""

    state = _state_filter(Request, public=True)


class OfferFilter(filters.FilterSet):
    """Offers by invited council, service, theme (slugs), state and feedback deadline."""

    council = _slug_filter(
        Council.objects.filter(is_active=True),
        _("Council"),
        _("All councils"),
        field_name="invitations__council",
        distinct=True,
    )
    service = _slug_filter(CityService.objects.all(), _("Service"), _("All services"))
    theme = _slug_filter(Theme.objects.all(), _("Theme"), _("All themes"))
    state = _state_filter(Offer, public=False)
    overdue = OverdueFilter()

    class Meta:
        model = Offer
        fields = ["council", "service", "theme", "state", "overdue"]


class PublicOfferFilter(OfferFilter):
    state = _state_filter(Offer, public=True)


class InvitationFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=Invitation.State.choices)
    council = filters.CharFilter(field_name="council__slug", help_text="Council slug")

    class Meta:
        model = Invitation
        fields = ["state", "council"]

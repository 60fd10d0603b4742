"""Forms of the public pages (which list to show, the statistics period) and of the member space
(drafts, discussion, attachments, deadline extensions, reminder preferences).

The filters of the lists are FilterSets (``filters``); the inputs of transitions are declared
and cleaned by ``workflow.inputs``.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from civic_participation import permissions, statistics
from civic_participation.models import (
    DESCRIPTION_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    CityService,
    Council,
    ReminderPreference,
    Theme,
)


class StatisticsPeriodForm(forms.Form):
    """The period of the transparency statistics (the last twelve months by default)."""

    MAX_DAYS = 5 * 366

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))

    def __init__(self, data=None, today=None):
        super().__init__(data)
        self.today = today or timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        default_start, default_end = statistics.default_period(self.today)
        start = cleaned.get("start") or default_start
        end = cleaned.get("end") or default_end
        if self.errors:
            return cleaned
        if end < start:
            self.add_error("end", _("The end of the period comes before its start."))
        elif (end - start).days > self.MAX_DAYS:
            self.add_error("start", _("Choose a period of at most five years."))
        cleaned.update(start=start, end=end)
        return cleaned

    def period(self):
        """(start, end) once valid."""
        return self.cleaned_data["start"], self.cleaned_data["end"]


class ListKindForm(forms.Form):
    """Which list the public index page shows; its filters come from ``filters``."""

    KINDS = (("requests", _("Requests")), ("offers", _("Offers")))

    kind = forms.ChoiceField(label=_("Show"), choices=KINDS, required=False)

    def kind_shown(self):
        """``requests`` or ``offers`` (requests when the value is missing or unknown)."""
        return (self.is_valid() and self.cleaned_data["kind"]) or "requests"


class RequestDraftForm(forms.Form):
    council = forms.ModelChoiceField(label=_("Council"), queryset=Council.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX_LENGTH, widget=forms.Textarea
    )
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.all(), required=False)
    service = forms.ModelChoiceField(
        label=_("Service (if known)"), queryset=CityService.objects.all(), required=False
    )
    location = forms.CharField(label=_("Location"), max_length=255, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = permissions.councils_user_can_draft_for(user)


class OfferDraftForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=CityService.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX_LENGTH, widget=forms.Textarea
    )
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.all(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = permissions.services_user_can_draft_for(user)


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=MESSAGE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"))


class ReminderPreferenceForm(forms.ModelForm):
    class Meta:
        model = ReminderPreference
        fields = ["receive_reminders"]
        help_texts = {
            "receive_reminders": _(
                "Warnings and reminders about deadlines. Escalations are always sent."
            )
        }


class DeadlineExtensionForm(forms.Form):
    due_on = forms.DateField(label=_("New due date"), widget=forms.DateInput({"type": "date"}))
    reason = forms.CharField(
        label=_("Reason (shown publicly)"), max_length=MESSAGE_MAX_LENGTH, widget=forms.Textarea
    )


# Directory forms of the member space ------------------------------------------------------------


class _SeatForm(WagtailAdminModelForm):
    """A membership form: adding someone who already has a seat there (for instance an agent
    picked in the City service form's Staff field) updates that seat instead of refusing it
    as a duplicate. The signals give the permissions either way."""

    owner_field = None

    def clean(self):
        cleaned = super().clean()
        owner, user = cleaned.get(self.owner_field), cleaned.get("user")
        if self.instance._state.adding and owner is not None and user is not None:
            model = self._meta.model
            existing = model.objects.filter(**{self.owner_field: owner, "user": user}).first()
            if existing is not None:
                self.instance.pk = existing.pk
                self.instance._state.adding = False
        return cleaned


class CouncilMembershipForm(_SeatForm):
    owner_field = "council"


class ServiceMembershipForm(_SeatForm):
    owner_field = "service"


class CityServiceForm(WagtailAdminModelForm):
    """The Staff field is optional (a service is often created before its agents are known);
    agents picked there become agent memberships, with their permissions (``signals``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "staff" in self.fields:
            self.fields["staff"].required = False

"""Forms of the public pages and of the moderation views (input only: services decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civic_consultation import scoring
from civic_consultation.models import Participant, Theme

QUALIFICATION_LABELS = {
    "like_it": _("Love it"),
    "doable": _("Realistic"),
    "platitude_agree": _("Platitude"),
    "no_way": _("Certainly not"),
    "impossible": _("Unworkable"),
    "platitude_disagree": _("Platitude"),
    "do_not_understand": _("I do not understand"),
    "no_opinion": _("No opinion"),
    "do_not_care": _("I do not care"),
}
VALUE_LABELS = {
    scoring.AGREE: _("Agree"),
    scoring.DISAGREE: _("Disagree"),
    scoring.NEUTRAL: _("Neutral"),
}
QUALIFY_LEGENDS = {
    scoring.AGREE: _("If you agree"),
    scoring.DISAGREE: _("If you disagree"),
    scoring.NEUTRAL: _("If you are neutral"),
}


class ProposalForm(forms.Form):
    text = forms.CharField(
        label=_("Your proposal"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "aria-describedby": "proposal-help"}),
    )
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.none(), required=False)

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = consultation.themes.all()
        self.fields["text"].widget.attrs["maxlength"] = consultation.proposal_max_length


class VoteForm(forms.Form):
    proposal = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    key = forms.CharField(required=False, widget=forms.HiddenInput)
    value = forms.ChoiceField(choices=list(VALUE_LABELS.items()))
    qualifications = forms.MultipleChoiceField(
        choices=[(code, code) for code in scoring.ALL_QUALIFICATIONS], required=False
    )

    def clean(self):
        data = super().clean()
        value = data.get("value")
        # Checked boxes of the other groups are labelled "if you agree/disagree…": keep only
        # those that go with the button pressed.
        allowed = scoring.QUALIFICATIONS.get(value, ())
        data["qualifications"] = [c for c in data.get("qualifications", []) if c in allowed]
        return data


class ProfileForm(forms.Form):
    age_range = forms.ChoiceField(
        label=_("Age range"),
        choices=[("", _("I prefer not to say")), *Participant.AgeRange.choices],
        required=False,
    )
    district = forms.CharField(label=_("District or postal code"), max_length=60, required=False)


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"))
    note = forms.CharField(
        label=_("Note for moderators"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, reasons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = list(reasons)


class AcceptForm(forms.Form):
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.none(), required=False)

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = consultation.themes.all()


class BulkForm(forms.Form):
    ACTIONS = [
        ("accept", _("Accept")),
        ("refuse", _("Refuse")),
        ("postpone", _("Postpone")),
        ("group", _("Group into one idea")),
    ]
    proposals = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple)
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    reason = forms.ChoiceField(label=_("Refusal reason"), required=False)
    idea_name = forms.CharField(label=_("Idea name"), required=False, max_length=200)

    def __init__(self, *args, queryset, reasons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = queryset
        self.fields["reason"].choices = [("", "—"), *reasons]

    def clean(self):
        data = super().clean()
        if data.get("action") == "refuse" and not data.get("reason"):
            self.add_error("reason", _("Choose a refusal reason."))
        return data

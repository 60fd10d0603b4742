"""Forms of the public pages and the member space; they only validate, the services decide."""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from civic_budget import ballot_rules, money
from civic_budget.adapter import Declaration, birth_date_problem
from civic_budget.models import Project


def _with_currency(label):
    """``label (EUR)``, the currency read when the label is shown."""
    return format_lazy("{} ({})", label, lazy(money.currency, str)())


class AmountField(forms.DecimalField):
    """An amount typed in the site's currency (``CIVIC_BUDGET_CURRENCY``), cleaned to integer
    cents; its label names the currency."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0.01"))
        kwargs.setdefault("max_value", Decimal("100000000000"))
        super().__init__(max_digits=14, decimal_places=2, **kwargs)

    def clean(self, value):
        amount = super().clean(value)
        return None if amount is None else int(amount * 100)


class IdeaForm(forms.Form):
    zone = forms.ModelChoiceField(queryset=None, label=_("Zone"))
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, max_length=5000)
    location = forms.CharField(
        label=_("Location"), max_length=250, required=False, help_text=_("Street, park, school…")
    )
    estimated_cost = AmountField(label=_with_currency(_("Estimated cost")))

    def __init__(self, process, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = process.zones.all()


class DeclarationForm(forms.Form):
    """Who votes: used online by the voter and on paper by the agent."""

    zone = forms.ModelChoiceField(queryset=None, label=_("District where you live"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    resides_in_city = forms.BooleanField(
        label=_("I declare that I live in the city"), required=False
    )

    def __init__(self, process, projects, *args, verified=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.process = process
        if verified is not None:
            # An identity provider vouches for these: shown, not typed (the service uses the
            # provider's values whatever is posted).
            for name, value in (
                ("first_name", verified.given_name),
                ("last_name", verified.family_name),
                ("birth_date", verified.birthdate),
            ):
                if value:
                    self.fields[name].disabled = True
                    self.fields[name].initial = value
        self.projects = list(projects)
        zones = process.zones.all()
        districts = zones.filter(kind="district")
        self.fields["zone"].queryset = districts if districts.exists() else zones
        self.zone_sections = []
        for zone in zones:
            section = {"zone": zone, "fields": []}
            for project in self.projects:
                if project.zone_id != zone.pk:
                    continue
                name = f"project_{project.pk}"
                if zone.ballot_rule == ballot_rules.CUMULATIVE:
                    self.fields[name] = forms.IntegerField(
                        label=project.title, required=False, min_value=0, max_value=1000
                    )
                else:
                    self.fields[name] = forms.BooleanField(label=project.title, required=False)
                self.fields[name].widget.attrs.update(
                    {"data-cost": project.cost_cents, "data-zone": zone.pk}
                )
                section["fields"].append((project, name))
            self.zone_sections.append(section)

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        problem = birth_date_problem(birth_date, timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return birth_date

    def bound_sections(self):
        return [
            {"zone": section["zone"], "fields": [(p, self[name]) for p, name in section["fields"]]}
            for section in self.zone_sections
        ]

    def declaration(self):
        data = self.cleaned_data
        return Declaration(
            first_name=data["first_name"],
            last_name=data["last_name"],
            birth_date=data["birth_date"],
            zone_id=data["zone"].pk,
            resides_in_city=data["resides_in_city"],
        )

    def choices(self):
        chosen = {}
        for project in self.projects:
            value = self.cleaned_data.get(f"project_{project.pk}")
            if value is True:
                chosen[project.pk] = 1
            elif value not in (None, False, 0):
                chosen[project.pk] = value
        return chosen


class ContestDecisionForm(forms.Form):
    UPHOLD = "uphold"
    DISMISS = "dismiss"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (UPHOLD, _("Uphold: annul the contested registration and its ballot")),
            (DISMISS, _("Dismiss: the contested ballot stays")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Why (the identity checks made)"), widget=forms.Textarea, max_length=2000
    )


def add_error(form, error):
    """Show a refused action on ``form``: each reason under its input, or above the form."""
    if not error.fields:
        form.add_error(None, error.message)
        return
    for name, texts in error.fields.items():
        for text in texts:
            form.add_error(name if name in form.fields else None, text)


# One form per action of ``workflow.ACTIONS`` (the member space's review page); ``action_data``
# gives the inputs the action declares.


class ActionForm(forms.Form):
    submit_label = None

    def __init__(self, project, *args, **kwargs):
        kwargs.setdefault("prefix", self.prefix)
        super().__init__(*args, **kwargs)
        self.project = project

    def action_data(self):
        return dict(self.cleaned_data)


class ModerationForm(ActionForm):
    prefix = "moderate"
    submit_label = _("Record the decision")
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept for review")), ("refuse", _("Refuse"))]
    )
    reason = forms.CharField(label=_("Public reason"), widget=forms.Textarea, required=False)

    def action_data(self):
        data = self.cleaned_data
        return {"accept": data["decision"] == "accept", "reason": data["reason"]}


class ReviewForm(ActionForm):
    prefix = "review"
    submit_label = _("Record the review")
    feasible = forms.TypedChoiceField(
        label=_("Feasibility"),
        choices=[("yes", _("Feasible")), ("no", _("Unfeasible"))],
        coerce=lambda value: value == "yes",
    )
    reviewed_cost = AmountField(label=_with_currency(_("Reviewed cost")), required=False)
    reason = forms.CharField(label=_("Public reason"), widget=forms.Textarea, required=False)

    def action_data(self):
        data = self.cleaned_data
        return {
            "feasible": data["feasible"],
            "reviewed_cost_cents": data["reviewed_cost"],
            "reason": data["reason"],
        }


class BallotForm(ActionForm):
    prefix = "ballot"
    submit_label = _("Put on the ballot")


class MergeForm(ActionForm):
    prefix = "merge"
    submit_label = _("Merge into the chosen project")
    into = forms.ModelChoiceField(queryset=None, label=_("Keep this project"))
    reason = forms.CharField(label=_("Public reason"), widget=forms.Textarea, required=False)

    def __init__(self, project, *args, **kwargs):
        super().__init__(project, *args, **kwargs)
        self.fields["into"].queryset = (
            Project.objects.filter(
                process=project.process_id, zone=project.zone_id, merged_into__isnull=True
            )
            .exclude(pk=project.pk)
            .exclude(status__in=[Project.REFUSED, Project.UNFEASIBLE, Project.MERGED])
        )


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea, max_length=5000)


class ProposerMessageForm(ActionForm, MessageForm):
    prefix = "message"
    submit_label = _("Send to the proposer")


class NoteForm(ActionForm, MessageForm):
    prefix = "note"
    submit_label = _("Add an internal note")


class OutcomeForm(ActionForm):
    prefix = "outcome"
    submit_label = _("Record the outcome")
    selected = forms.TypedChoiceField(
        label=_("Outcome"),
        choices=[("yes", _("Selected")), ("no", _("Not selected"))],
        coerce=lambda value: value == "yes",
    )
    reason = forms.CharField(label=_("Public reason"), widget=forms.Textarea, required=False)


class MilestoneForm(ActionForm):
    prefix = "milestone"
    submit_label = _("Plan the milestone")
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_date = forms.DateField(
        label=_("Planned date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class CompleteMilestoneForm(ActionForm):
    """Marks a milestone of the project done today (a button beside each pending milestone)."""

    prefix = None
    milestone = forms.ModelChoiceField(queryset=None, label=_("Milestone"))

    def __init__(self, project, *args, **kwargs):
        super().__init__(project, *args, **kwargs)
        self.fields["milestone"].queryset = project.milestones.filter(done_on__isnull=True)

    def action_data(self):
        return {"milestone": self.cleaned_data["milestone"], "done_on": date.today()}


class ProgressForm(ActionForm):
    prefix = "progress"
    submit_label = _("Record the progress")
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    message = forms.CharField(label=_("Public note"), required=False, max_length=2000)


ACTION_FORMS = {
    "moderate": ModerationForm,
    "review": ReviewForm,
    "ballot": BallotForm,
    "merge": MergeForm,
    "message": ProposerMessageForm,
    "note": NoteForm,
    "outcome": OutcomeForm,
    "milestone": MilestoneForm,
    "complete": CompleteMilestoneForm,
    "progress": ProgressForm,
}

"""The inputs of a transition, declared once and cleaned in one place.

A transition declares its inputs as :class:`Field` rows. :func:`input_form_class` turns them
into a Django form, and that form is the only thing that turns raw input (a posted form, a JSON
body, values given by code) into typed values: :func:`clean_input`, which
:func:`~civic_participation.workflow.engine.perform` calls, validates through it, and the member
space renders it. The API documents the same fields (``api.serializers.transition_serializer``)
and passes the raw body to ``perform``.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic_participation.errors import TransitionError
from civic_participation.models import MESSAGE_MAX_LENGTH, CityService, Council, Request


class TextField(forms.CharField):
    """Text that must arrive as text: a JSON body could send a number or an object."""

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, str):
            raise forms.ValidationError(_("Enter text."), code="invalid")
        return super().to_python(value)


@dataclass(frozen=True)
class Field:
    """One input of a transition."""

    name: str
    kind: str  # text, line, choice, date, boolean, service, councils or request
    label: str
    required: bool = True
    choices: tuple = ()
    help_text: str = ""

    def formfield(self, item):
        """The Django form field that cleans this input on ``item``."""
        common = {"label": self.label, "required": self.required, "help_text": self.help_text}
        if self.kind == "text":
            return TextField(
                max_length=MESSAGE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}), **common
            )
        if self.kind == "line":
            return TextField(max_length=255, **common)
        if self.kind == "choice":
            return forms.ChoiceField(choices=[("", "---------"), *self.choices], **common)
        if self.kind == "date":
            return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        if self.kind == "boolean":
            return forms.BooleanField(**{**common, "required": False})
        if self.kind == "service":
            return forms.ModelChoiceField(queryset=CityService.objects.all(), **common)
        if self.kind == "councils":
            return forms.ModelMultipleChoiceField(
                queryset=Council.objects.filter(is_active=True),
                widget=forms.CheckboxSelectMultiple,
                **common,
            )
        if self.kind == "request":  # another public request, to merge into
            return forms.ModelChoiceField(
                queryset=Request.objects.public().exclude(pk=item.pk).order_by("-pk"), **common
            )
        raise ValueError(f"Unknown input kind {self.kind!r}")


REASON = Field("message", "text", gettext_lazy("Reason (shown publicly)"))
OPTIONAL_MESSAGE = Field("message", "text", gettext_lazy("Message"), required=False)


def input_form_class(transition_, item):
    """The form of a transition's inputs on ``item``."""
    attrs = {spec.name: spec.formfield(item) for spec in transition_.fields}
    return type(f"{transition_.name.title().replace('_', '')}Form", (forms.Form,), attrs)


def _as_raw(value):
    """Objects given by code become the identifiers a form posts."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, QuerySet | list | tuple | set):
        return [_as_raw(one) for one in value]
    return value


def clean_input(transition_, item, raw):
    """The typed values of ``raw`` for ``transition_``, or a TransitionError per field."""
    if not transition_.fields:
        return {}
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise TransitionError(_("Send the fields of the action as an object."))
    if not hasattr(raw, "getlist"):
        raw = {name: _as_raw(value) for name, value in raw.items()}
    form = input_form_class(transition_, item)(data=raw)
    if not form.is_valid():
        raise TransitionError(_("Some fields are missing or wrong."), fields=form.errors)
    return form.cleaned_data

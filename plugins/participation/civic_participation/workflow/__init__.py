"""The request and offer circuits as declared transitions.

``engine`` runs them (:func:`perform` is the only way an item's state changes), ``inputs``
declares and cleans their inputs, ``access`` (the plugin's permission table) says who may run
them, and ``requests`` and ``offers`` declare the two circuits; importing this package registers
both.
"""

from civic_participation.errors import TransitionError
from civic_participation.workflow import offers, requests  # noqa: F401 (registers the circuits)
from civic_participation.workflow.engine import (
    SYSTEM,
    TRANSITIONS,
    Context,
    Transition,
    available_transitions,
    get_transition,
    kind_label,
    perform,
    refusal,
)
from civic_participation.workflow.inputs import Field, clean_input, input_form_class

__all__ = [
    "SYSTEM",
    "TRANSITIONS",
    "Context",
    "Field",
    "Transition",
    "TransitionError",
    "available_transitions",
    "clean_input",
    "get_transition",
    "input_form_class",
    "kind_label",
    "perform",
    "refusal",
]

"""The one domain error of the budget plugin.

The pure ``counting`` package keeps its own Django-free ``CountingInputError``; everything the
services refuse is a :class:`BudgetError`, which the API answers through ``civic_core.api``.
"""

from civic_core.errors import CivicError


class BudgetError(CivicError):
    """A refused action; nothing changed.

    ``code`` is ``invalid`` (400), ``forbidden`` (403) or a refusal due to the state of the
    process, project, ballot or entry (``invalid_state``, ``conflict``: 409). ``fields`` maps an
    input to its messages; a ballot refused for several reasons lists them all under ``choices``.
    """

    @classmethod
    def for_field(cls, field, *reasons, code=CivicError.INVALID):
        """An error about one input, for one or several reasons; its message gives them all."""
        return cls(" ".join(str(reason) for reason in reasons), code, {field: list(reasons)})

    @property
    def reasons(self):
        """What a form shows: each per-field message, or the message when there is none."""
        listed = [text for texts in self.fields.values() for text in texts]
        return listed or [self.message]

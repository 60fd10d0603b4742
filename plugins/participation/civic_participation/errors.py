"""The refusals of the participation domain, in the shape every plugin shares.

A refused action changes nothing and raises a :class:`ParticipationError`: ``code`` says why
(``invalid`` input, ``forbidden`` for the actor's role or scope, ``invalid_state`` for the
item's current state) and ``fields`` gives per-input messages. The API answers them through
:class:`civic_core.api.CivicAPIMixin` (400, 403, 409); the member space shows them as messages.
"""

from civic_core.errors import CivicError


class ParticipationError(CivicError):
    """An action on participation data was refused; nothing changed."""


class TransitionError(ParticipationError):
    """A transition, a draft or a message was refused (see :mod:`civic_participation.workflow`)."""


class DeadlineError(ParticipationError):
    """A deadline change (an extension) was refused."""

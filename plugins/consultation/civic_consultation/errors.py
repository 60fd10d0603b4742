"""The refusals of the consultation plugin's domain.

Every refused action raises :class:`ConsultationError`. Its ``code`` decides the API's answer
through :mod:`civic_core.api`: ``invalid`` 400, ``forbidden`` 403, ``not_found`` 404,
``rate_limited`` 429; the plugin's other codes are refusals due to the state of the
consultation, the proposal or the participant (409): ``closed``, ``not_votable``,
``own_proposal``, ``locked``, ``invalid_state``, ``conflict``.
"""

from civic_core.errors import CivicError


class ConsultationError(CivicError):
    """A refused action of the consultation plugin; nothing changed.

    ``reason`` names the rule that refused it: the ``code`` itself, or for bad input (code
    ``invalid``) a finer reason such as ``too_short`` or ``challenge_used``.
    """

    CLOSED = "closed"
    NOT_VOTABLE = "not_votable"
    OWN_PROPOSAL = "own_proposal"
    LOCKED = "locked"

    def __init__(self, message, code=CivicError.INVALID, fields=None, reason=None):
        super().__init__(message, code, fields)
        self.reason = reason or code

    @classmethod
    def for_field(cls, field, message, reason=None):
        """Bad input (400): ``message``, also given under the input ``field``."""
        return cls(message, cls.INVALID, {field: [message]}, reason)

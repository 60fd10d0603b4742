"""The one shape of a refused action, shared by the domain layers of every plugin."""


class CivicError(Exception):
    """An action was refused and nothing changed.

    ``code`` says why, and the API answers with the status that goes with it (see
    :mod:`civic_core.api`): ``invalid`` (bad input, 400), ``forbidden`` (role or scope, 403),
    ``not_found`` (404), ``rate_limited`` (429); any other code is a refusal caused by the
    current state of the item (``invalid_state``, ``conflict``, ``closed``...: 409).
    ``fields`` maps an input name to its messages, for forms and API bodies.
    """

    INVALID = "invalid"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    RATE_LIMITED = "rate_limited"
    INVALID_STATE = "invalid_state"
    CONFLICT = "conflict"

    def __init__(self, message, code=INVALID, fields=None):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        self.fields = {
            name: [str(text) for text in texts] for name, texts in (fields or {}).items()
        }

    @property
    def messages(self):
        """Every reason given: the message, then the per-field messages not repeating it."""
        texts = [self.message]
        for field_texts in self.fields.values():
            texts.extend(text for text in field_texts if text not in texts)
        return texts

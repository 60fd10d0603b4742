"""Errors raised by the counting package."""


class CountingInputError(ValueError):
    """The election given to a counting rule is invalid.

    ``field`` names the offending part of the input (``"budget"``, ``"projects[3].cost"``,
    ``"ballots[12]"``...) so that a form or an import can point at it.
    """

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

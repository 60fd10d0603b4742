"""The one domain exception of the budget plugin."""


class BudgetError(Exception):
    """A refused action; ``kind`` tells the API which status to answer.

    ``messages`` explains every reason (a ballot can be refused for several at once).
    """

    INVALID = "invalid"
    FORBIDDEN = "forbidden"
    CONFLICT = "conflict"

    def __init__(self, *messages, kind=INVALID, field=None):
        self.messages = [str(message) for message in messages]
        self.kind = kind
        self.field = field
        super().__init__("; ".join(self.messages))

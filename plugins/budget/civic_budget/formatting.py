"""How amounts read in texts for people (pages, e-mails, timeline events, refusals); no Django."""


def format_euros(cents):
    """``1234500`` cents as ``12 345 €``, with the cents only when there are some."""
    euros, rest = divmod(int(cents), 100)
    grouped = f"{euros:,}".replace(",", "\u202f")
    return f"{grouped},{rest:02d} €" if rest else f"{grouped} €"

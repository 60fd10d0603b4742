"""How amounts read in texts for people (pages, e-mails, timeline events, refusals); no Django.

The separators, the symbol and its place come from the caller (``civic_budget.money`` takes
them from Django's localisation and the ``CURRENCY`` setting): nothing here is a city's.
"""


def format_amount(cents, symbol, decimal_separator=".", thousand_separator=",", symbol_first=True):
    """``1234500`` cents as ``€12,345`` (or ``12 345 €``), the cents only when there are some."""
    units, rest = divmod(int(cents), 100)
    grouped = f"{units:,}".replace(",", thousand_separator)
    number = f"{grouped}{decimal_separator}{rest:02d}" if rest else grouped
    if not symbol_first:
        return f"{number}\u00a0{symbol}"
    # A code (CHF) is kept apart from the number; a sign (€, $) is not.
    return f"{symbol}\u00a0{number}" if symbol[-1:].isalpha() else f"{symbol}{number}"

"""Amounts of money as the active language writes them, in the site's currency.

The currency is ``CIVIC_BUDGET_CURRENCY`` (an ISO 4217 code, ``EUR`` by default); the decimal
and thousand separators are those of Django's format files for the active language, so a
French page reads ``12 345 €`` and an English one ``€12,345``. Amounts are stored in cents
(hundredths of the currency).
"""

from django.utils import formats, translation

from civic_budget.app_settings import app_settings
from civic_budget.formatting import format_amount

# Symbols of common currencies; any other currency is written with its code.
SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF", "CAD": "$", "AUD": "$"}
# Languages that write the symbol before the number (English: €12; most others: 12 €).
SYMBOL_FIRST = ("en", "ga", "mt", "nl")


def currency():
    return app_settings.CURRENCY


def format_money(cents, currency_code=None):
    code = currency_code or currency()
    language = (translation.get_language() or "en").split("-")[0].lower()
    return format_amount(
        cents,
        SYMBOLS.get(code, code),
        decimal_separator=formats.get_format("DECIMAL_SEPARATOR", use_l10n=True),
        thousand_separator=formats.get_format("THOUSAND_SEPARATOR", use_l10n=True),
        symbol_first=language in SYMBOL_FIRST,
    )

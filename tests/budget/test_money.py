"""Amounts in the site's currency, written as the active language writes numbers."""

import pytest
from django.template import Context, Template
from django.utils import translation

from civic_budget import money
from civic_budget.formatting import format_amount


def test_the_pure_formatter_takes_everything_from_its_caller():
    assert format_amount(1234500, "€", ",", "\u202f", symbol_first=False) == "12\u202f345\u00a0€"
    assert format_amount(1234550, "$", ".", ",") == "$12,345.50"
    assert format_amount(5, "CHF", ".", "'", symbol_first=False) == "0.05\u00a0CHF"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "12\u00a0345,50\u00a0€"), ("en", "€12,345.50"), ("de", "12.345,50\u00a0€")],
)
def test_the_language_decides_separators_and_the_symbols_place(language, expected):
    with translation.override(language):
        assert money.format_money(1234550) == expected


def test_the_currency_is_a_setting(settings):
    settings.CIVIC_BUDGET_CURRENCY = "USD"
    with translation.override("en"):
        assert money.format_money(100000) == "$1,000"
    settings.CIVIC_BUDGET_CURRENCY = "SEK"
    with translation.override("en"):
        assert money.format_money(100000) == "SEK\u00a01,000"


def test_the_template_filter_and_the_form_labels(settings):
    from civic_budget.forms import IdeaForm

    settings.CIVIC_BUDGET_CURRENCY = "CHF"
    with translation.override("en"):
        rendered = Template("{% load civic_budget %}{{ 250000|money }}").render(Context())
        assert rendered == "CHF\u00a02,500"
        assert str(IdeaForm.base_fields["estimated_cost"].label) == "Estimated cost (CHF)"

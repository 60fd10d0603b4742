from django import template
from django.utils.translation import gettext_lazy as _

from civic_budget import phases
from civic_budget.money import format_money

register = template.Library()

PHASE_LABELS = {
    phases.UPCOMING: _("Coming soon"),
    phases.IDEAS: _("Idea submission"),
    phases.REVIEW: _("Feasibility review"),
    phases.VOTE: _("Vote open"),
    phases.COUNTING: _("Counting the votes"),
    phases.RESULTS: _("Results"),
    phases.IMPLEMENTATION: _("Implementation"),
}


@register.filter
def money(cents):
    """Cents as an amount in the site's currency, written as the active language writes it."""
    return "" if cents is None else format_money(cents)


# The filter's former name, for templates a site overrode before amounts left the euro.
register.filter("euros", money)


@register.filter
def phase_label(phase):
    return PHASE_LABELS.get(phase, phase)


@register.filter
def percent_of(part, whole):
    """A width for CSS bars, 0-100."""
    return 0 if not whole else min(100, round(100 * part / whole, 1))

"""Settings of the budget plugin, each overridable as ``CIVIC_BUDGET_<NAME>``."""

from civic_core.conf import PluginSettings

DEFAULTS = {
    # Dotted path of the class that holds per-city behaviour (see adapter.py).
    "ADAPTER": "civic_budget.adapter.DefaultBudgetAdapter",
    # Secret of the keyed hashes that keep voters' identities apart from their ballots; empty
    # means derived from SECRET_KEY. Changing it during a vote breaks one-ballot-per-person.
    "IDENTITY_KEY": "",
    # Upper bounds of the age buckets of the turnout statistics (the last bucket is open).
    "AGE_BUCKETS": (17, 24, 34, 49, 64),
    # Send the ballot confirmation by e-mail to the voter's account address.
    "SEND_CONFIRMATION_EMAIL": True,
    # ISO 4217 code of the currency of the budgets and costs (amounts are stored in its
    # hundredths); numbers are written the way the active language writes them.
    "CURRENCY": "EUR",
    # The path of each sub-page of a budget page, by route name (a key overrides one route, the
    # others stay). Read once at start-up; links are built from the route names, so they follow.
    # The defaults are the French paths the reference site published; another city sets its own,
    # e.g. {"submit": "propose/", "projects": "projects/", "vote": "vote/", "turnout":
    # "turnout/", "results": "results/", "implementation": "implementation/"}.
    "ROUTES": {
        "submit": "proposer/",
        "projects": "projets/",
        "vote": "voter/",
        "turnout": "participation/",
        "results": "resultats/",
        "implementation": "realisation/",
    },
}


app_settings = PluginSettings("CIVIC_BUDGET_", DEFAULTS)

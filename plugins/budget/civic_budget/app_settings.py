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
    # Send the ballot confirmation by e-mail to the voter's account address. It says that a
    # ballot was recorded or changed, never what it holds.
    "SEND_CONFIRMATION_EMAIL": True,
    # At most one e-mail per voter and process in this many minutes: the first ballot is always
    # confirmed, a change only if the previous e-mail is older than this.
    "CONFIRMATION_INTERVAL_MINUTES": 60,
    # Refuse online ballots from a session without an identity verified by a provider
    # (civic_core.identity): set it when the site signs residents in through FranceConnect.
    "REQUIRE_VERIFIED_IDENTITY": False,
    # Days after the results are published at which the voters' identities of a process (keyed
    # hashes, accounts, paper entries' identities, contests' claimants) are purged.
    "IDENTITY_RETENTION_DAYS": 90,
    # ISO 4217 code of the currency of the budgets and costs (amounts are stored in its
    # hundredths); numbers are written the way the active language writes them.
    "CURRENCY": "EUR",
}


app_settings = PluginSettings("CIVIC_BUDGET_", DEFAULTS)

"""A person's data across the civic plugins: export (RGPD art. 15 and 20) and erasure (art. 17).

Each plugin registers one provider from its ``AppConfig.ready()``:

- ``export(user)`` returns JSON-serialisable data about that person (what they wrote, what they
  voted where the plugin may show it to them, their memberships);
- ``erase(user)`` deletes or unlinks what identifies them. Counts and published results stay
  exact: votes and ballots are kept, detached from the person.

The core runs every registered provider, so a site gets the whole picture whatever plugins it
installs, and a plugin never needs to know the others.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction


@dataclass(frozen=True)
class PersonalDataProvider:
    app_label: str
    export: Callable
    erase: Callable


_providers: dict[str, PersonalDataProvider] = {}


def register(app_label, *, export, erase):
    """Register (or replace, on a reload) the provider of one app."""
    _providers[app_label] = PersonalDataProvider(app_label, export, erase)


def providers():
    return [_providers[label] for label in sorted(_providers)]


def account_data(user):
    return {
        "username": user.get_username(),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
    }


def export_personal_data(user):
    """Everything the plugins hold about ``user``, keyed by app label."""
    data = {"account": account_data(user)}
    for provider in providers():
        data[provider.app_label] = provider.export(user)
    return data


def erase_personal_data(user):
    """Detach or delete the person's data in every plugin, then delete the account."""
    with transaction.atomic():
        for provider in providers():
            provider.erase(user)
        user.delete()

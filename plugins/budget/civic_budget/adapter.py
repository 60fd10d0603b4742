"""Per-city behaviour of the budget plugin.

A city subclasses :class:`DefaultBudgetAdapter` and points ``CIVIC_BUDGET_ADAPTER`` at its class,
e.g. to check residency against an electoral roll. A site that signs residents in through an
identity provider (``civic_core.identity``) needs no subclass: when the session holds a
verified identity, :meth:`DefaultBudgetAdapter.verified_declaration` takes the name and birth
date from it and :meth:`DefaultBudgetAdapter.verified_identity` keys the registration on the
provider and the subject instead of the declaration.
"""

import unicodedata
from dataclasses import dataclass, replace
from datetime import date

from django.utils.translation import gettext_lazy as _

from civic_budget.app_settings import app_settings
from civic_core.conf import load_adapter

# Nobody who votes is older than this: an older birth date is a typing error or a forgery.
OLDEST_PLAUSIBLE_AGE = 120


@dataclass(frozen=True)
class Declaration:
    """What a voter declares (online) or an agent reads from an identity document (paper)."""

    first_name: str
    last_name: str
    birth_date: date
    zone_id: int
    resides_in_city: bool


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str = ""
    age_bucket: str = ""


def age_on(birth_date, reference):
    """Age in whole years on ``reference`` (a birthday on 29 February counts on 1 March)."""
    years = reference.year - birth_date.year
    if (reference.month, reference.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def birth_date_problem(birth_date, *on_dates):
    """Why ``birth_date`` cannot be a living voter's on each of ``on_dates`` (None when it can):
    not after the date, at most ``OLDEST_PLAUSIBLE_AGE`` years before it."""
    for on in on_dates:
        if birth_date > on:
            return _("The date of birth cannot be in the future.")
        if age_on(birth_date, on) > OLDEST_PLAUSIBLE_AGE:
            return _("This date of birth is not plausible: check the year.")
    return None


def age_bucket(age, upper_bounds):
    lower = 0
    for upper in upper_bounds:
        if age <= upper:
            return f"{lower}-{upper}"
        lower = upper + 1
    return f"{lower}+"


def _normalise(text):
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(letters.replace("-", " ").split())


class DefaultBudgetAdapter:
    """The behaviour of the reference city; every method is a documented extension point."""

    def check_eligibility(self, process, declaration):
        """Minimum age at the process's reference date and a declaration of residency."""
        if not declaration.resides_in_city:
            return Eligibility(False, _("Only residents of the city may vote."))
        age = age_on(declaration.birth_date, process.age_reference_date)
        if age < process.minimum_age:
            return Eligibility(
                False,
                _("You must be at least %(age)d years old on %(date)s to vote.")
                % {"age": process.minimum_age, "date": process.age_reference_date.isoformat()},
            )
        return Eligibility(True, age_bucket=age_bucket(age, app_settings.AGE_BUCKETS))

    def identity(self, declaration):
        """The text that identifies one person, the same online and on paper."""
        return "|".join(
            [
                _normalise(declaration.last_name),
                _normalise(declaration.first_name),
                declaration.birth_date.isoformat(),
            ]
        )

    def verified_declaration(self, verified, declaration):
        """``declaration`` with the name and birth date an identity provider vouches for.

        The district and the residency stay declared: FranceConnect does not vouch for them.
        """
        return replace(
            declaration,
            first_name=verified.given_name or declaration.first_name,
            last_name=verified.family_name or declaration.last_name,
            birth_date=verified.birthdate or declaration.birth_date,
        )

    def verified_identity(self, verified):
        """The text that identifies a verified person: their provider and its subject."""
        return f"verified|{verified.provider}|{verified.subject}"

    def voter_zone_ids(self, process, residence_zone):
        """The zones whose projects a resident of ``residence_zone`` votes on."""
        ids = {zone.pk for zone in process.zones.all() if zone.kind == zone.CITYWIDE}
        ids.add(residence_zone.pk)
        return ids

    def confirmation_recipients(self, user):
        return [user.email] if user is not None and user.email else []


def get_adapter():
    """The adapter named by ``CIVIC_BUDGET_ADAPTER`` (one instance per class)."""
    return load_adapter(app_settings.ADAPTER)

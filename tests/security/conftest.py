"""The demo site, loaded once per module and rolled back after it, and a member of all three
plugins with an API token."""

import io
from dataclasses import dataclass

import pytest
from django.core.management import call_command, get_commands
from django.db import transaction
from django.test import TestCase

from civic_site.demo_accounts import ensure_demo_accounts
from civic_site.demo_content import build_editorial_content

# The demo of each installed plugin, with few voters: items in every state, quickly.
PLUGIN_DEMOS = {
    "load_demo_participation": {},
    "load_demo_consultation": {"voters": 6, "sequences": 1},
    "load_demo_budget": {"voters": 10},
}
# Each demo role of one plugin, given to one person: every member endpoint opens to them.
ALL_PLUGIN_ROLES = ("Coordinators", "Consultation moderators", "Budget reviewers")


@dataclass
class DemoSite:
    member: object
    token: str


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    available = get_commands()
    # Memberships open access in on-commit callbacks: run them, inside the rolled-back block.
    with django_db_blocker.unblock(), transaction.atomic():
        with TestCase.captureOnCommitCallbacks(execute=True):
            build_editorial_content()
            ensure_demo_accounts()
            for command, options in PLUGIN_DEMOS.items():
                if command in available:
                    call_command(command, allow_production=True, stdout=io.StringIO(), **options)
        # A council référent of the demo, given the other plugins' roles too.
        member = get_user_model().objects.get(username="council.referent")
        member.groups.add(*Group.objects.filter(name__in=ALL_PLUGIN_ROLES))
        token = Token.objects.create(user=member)
        yield DemoSite(member=member, token=token.key)
        transaction.set_rollback(True)

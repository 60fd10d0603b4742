"""The demo command, the role groups and what each role sees in the member space."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django_q.models import OrmQ, Success, Task
from wagtail.models import Page

from civic_site.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db

# Rows that legitimately change between runs (task results, caches, sessions). Unmanaged
# models (permission holders) have no table to count.
VOLATILE_MODELS = {Task, Success, OrmQ}


def row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model not in VOLATILE_MODELS and model._meta.managed and not model._meta.proxy
    }


@pytest.mark.slow
def test_load_demo_is_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", allow_production=True, verbosity=0)
    first = row_counts()
    call_command("load_demo", allow_production=True, verbosity=0)
    assert row_counts() == first
    assert first["home.EventPage"] >= 51
    assert first["auth.User"] >= len(DEMO_ACCOUNTS)
    in_menu = Page.objects.live().filter(show_in_menus=True)
    assert {"consultationpage", "budgetpage", "participationindexpage"} <= set(
        in_menu.values_list("content_type__model", flat=True)
    )


@pytest.mark.django_db
def test_load_demo_refuses_a_production_site(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("load_demo", verbosity=0)
    usernames = [account[0] for account in DEMO_ACCOUNTS]
    assert not get_user_model().objects.filter(username__in=usernames).exists()


def test_every_role_has_a_group():
    expected = {
        "Communications editors",
        "Council members",
        "Council référents",
        "City agents",
        "Service managers",
        "Coordinators",
        "Elected officials",
        "Consultation moderators",
        "Budget reviewers",
    }
    assert expected <= set(Group.objects.values_list("name", flat=True))


def login(client, username):
    from civic_site.demo_accounts import ensure_demo_accounts

    ensure_demo_accounts()
    assert client.login(username=username, password=DEMO_PASSWORD)


def test_communications_editor_edits_pages_not_participation_tools(client, site_home):
    login(client, "editor")
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/pages/{site_home.pk}/edit/").status_code == 200
    assert client.get("/admin/images/").status_code == 200
    # Users and groups belong to administrators.
    assert client.get("/admin/users/").status_code == 302


@pytest.mark.parametrize("username", ["council.member", "agent", "coordinator", "moderator"])
def test_members_reach_the_member_space_but_cannot_edit_pages(client, site_home, username):
    login(client, username)
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/pages/{site_home.pk}/edit/").status_code in (302, 403)
    assert client.get("/admin/users/").status_code == 302


def test_demo_accounts_use_the_reserved_domain():
    from civic_site.demo_accounts import ensure_demo_accounts

    ensure_demo_accounts()
    usernames = [account[0] for account in DEMO_ACCOUNTS]
    emails = get_user_model().objects.filter(username__in=usernames).values_list("email", flat=True)
    assert len(emails) == len(usernames)
    assert all(email.endswith("@demo.invalid") for email in emails)

"""The personal-data registry and the resident's own pages (civic_core.privacy, civic_core.urls)."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from civic_core import privacy
from civic_core.errors import CivicError
from civic_core.signin import login_url

pytestmark = pytest.mark.django_db

PASSWORD = "a long resident passphrase"
PLUGIN_SITE_TEMPLATES = Path(__file__).resolve().parent.parent / "plugin_site" / "templates"
# The app a test provider speaks for: whichever plugin the running test site installs.
PLUGIN = next(
    label
    for label in ("civic_budget", "civic_consultation", "civic_participation")
    if apps.is_installed(label)
)


@pytest.fixture
def registry():
    """The registry with only the providers a test registers; the real ones come back after."""
    saved = dict(privacy._providers)
    privacy._providers.clear()
    yield privacy
    privacy._providers.clear()
    privacy._providers.update(saved)


@pytest.fixture
def resident():
    return get_user_model().objects.create_user(
        "camille", "camille@example.org", PASSWORD, first_name="Camille"
    )


@pytest.fixture
def signed_in(client, resident):
    client.force_login(resident)
    return client


def notes_provider(store):
    """A provider over a plain dict, as a plugin's would be over its tables."""

    def export(user):
        return {
            "notes": list(store.get(user.pk, [])),
            "profile": {"nickname": "cam"},
            "entries_typed": 4,
            "receives_reminders": False,
        }

    def erase(user):
        store.pop(user.pk, None)

    return {"export": export, "erase": erase}


# The registry


def test_export_gathers_the_account_the_site_and_every_provider(registry, resident):
    store = {resident.pk: ["first", "second"]}
    registry.register("civic_budget", **notes_provider(store))
    registry.register("civic_consultation", export=lambda user: {"proposals": []}, erase=print)

    data = registry.export_personal_data(resident)

    assert list(data) == ["account", "site", "civic_budget", "civic_consultation"]
    assert data["account"]["username"] == "camille"
    assert data["account"]["email"] == "camille@example.org"
    assert data["civic_budget"]["notes"] == ["first", "second"]
    assert data["civic_consultation"] == {"proposals": []}


def test_registering_an_app_again_replaces_its_provider(registry, resident):
    registry.register("civic_budget", export=lambda user: "old", erase=print)
    registry.register("civic_budget", export=lambda user: "new", erase=print)
    assert [provider.export(resident) for provider in registry.providers()] == ["new"]


def test_erasure_runs_every_provider_then_deletes_the_account(registry, resident):
    store = {resident.pk: ["a note"]}
    registry.register(PLUGIN, **notes_provider(store))

    registry.erase_personal_data(resident)

    assert store == {}
    assert not get_user_model().objects.filter(username="camille").exists()


def test_a_failing_provider_leaves_everything_as_it_was(registry, resident):
    def rename_then_nothing(user):
        get_user_model().objects.filter(pk=user.pk).update(first_name="Erased")

    def refuse(user):
        raise IntegrityError("a plugin could not detach its rows")

    registry.register("civic_budget", export=dict, erase=rename_then_nothing)
    registry.register("civic_consultation", export=dict, erase=refuse)

    with pytest.raises(IntegrityError):
        registry.erase_personal_data(resident)

    resident.refresh_from_db()
    assert resident.first_name == "Camille"


def test_summary_counts_records_per_kind_under_the_app_name(registry, resident):
    registry.register(PLUGIN, **notes_provider({resident.pk: ["a", "b", "c"]}))
    with translation.override("en"):
        summary = dict(registry.summarise(registry.export_personal_data(resident)))
        title = str(apps.get_app_config(PLUGIN).verbose_name)
    assert summary[title] == [
        ("Notes", 3),
        ("Profile", 1),
        ("Entries typed", 4),
        ("Receives reminders", "no"),
    ]
    assert "account" not in summary


def test_the_api_token_is_exported_without_its_key(resident):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=resident)
    exported = privacy.site_data(resident)["api_tokens"]
    assert exported == [{"created": token.created.isoformat()}]
    assert token.key not in json.dumps(privacy.export_personal_data(resident), default=str)


def test_login_records_of_every_sign_in_name_are_exported_and_erased(resident):
    if not apps.is_installed("axes"):
        pytest.skip("the site does not install django-axes")
    from axes.models import AccessAttempt

    def attempt(username):
        return AccessAttempt.objects.create(
            username=username,
            ip_address="192.0.2.7",
            user_agent="Firefox",
            http_accept="*/*",
            path_info="/admin/login/",
            get_data="",
            post_data="",
            failures_since_start=1,
        )

    attempt("camille")
    attempt("camille@example.org")
    attempt("someone-else")

    records = privacy.site_data(resident)["login_records_accessattempt"]
    assert [record["ip_address"] for record in records] == ["192.0.2.7", "192.0.2.7"]

    privacy.erase_personal_data(resident)
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["someone-else"]


def test_allauth_addresses_are_exported(resident):
    if not apps.is_installed("allauth.account"):
        pytest.skip("the site does not install django-allauth")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=resident, email="camille@example.org", primary=True)
    EmailAddress.objects.create(user=resident, email="cam@example.net", verified=True)
    assert privacy.site_data(resident)["email_addresses"] == [
        {"email": "camille@example.org", "verified": False, "primary": True},
        {"email": "cam@example.net", "verified": True, "primary": False},
    ]


def test_stored_tasks_carrying_an_address_of_the_person_are_exported_and_erased(resident):
    from django_q.models import Task

    def task(name, recipients):
        now = timezone.now()
        return Task.objects.create(
            id=name,
            name=name,
            func="civic_budget.tasks.send_ballot_confirmation",
            args=(7, recipients, False),
            kwargs={},
            started=now,
            stopped=now,
            success=True,
        )

    task("mine", ["Camille@Example.org"])
    task("theirs", ["dominique@example.org"])

    (exported,) = privacy.site_data(resident)["background_tasks"]
    assert exported["task"] == "civic_budget.tasks.send_ballot_confirmation"

    privacy.erase_personal_data(resident)
    assert list(Task.objects.values_list("id", flat=True)) == ["theirs"]


def test_a_superuser_may_not_erase_themselves_but_others_may(resident):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)
    with pytest.raises(CivicError) as refused:
        privacy.check_self_erasure(admin)
    assert refused.value.code == CivicError.FORBIDDEN
    privacy.check_self_erasure(resident)


def test_exports_are_throttled_per_person(resident):
    other = get_user_model().objects.create_user("dominique", password=PASSWORD)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        privacy.claim_export(resident)
        privacy.claim_export(other)
        traveller.shift(timedelta(seconds=45))
        with translation.override("en"), pytest.raises(CivicError) as refused:
            privacy.claim_export(resident)
        assert refused.value.code == CivicError.RATE_LIMITED
        assert "try again in 15 seconds" in refused.value.message
        traveller.shift(timedelta(seconds=16))
        privacy.claim_export(resident)


# The pages


@pytest.mark.parametrize("name", ["my_data", "download", "erase"])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, name):
    url = reverse(f"civic_core:{name}")
    response = client.post(url) if name == "download" else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(login_url())
    assert "next=" in response["Location"]


def test_my_data_shows_the_account_and_a_summary_per_plugin(registry, signed_in, resident):
    registry.register(PLUGIN, **notes_provider({resident.pk: ["a", "b"]}))
    with translation.override("en"):
        response = signed_in.get(reverse("civic_core:my_data"), HTTP_ACCEPT_LANGUAGE="en")
        budget_title = str(apps.get_app_config(PLUGIN).verbose_name)
    assert response.status_code == 200
    html = response.content.decode()
    assert "camille@example.org" in html
    assert f"<h2>{budget_title}</h2>" in html
    assert "<td>Notes</td><td>2</td>" in html
    assert reverse("civic_core:download") in html
    assert reverse("civic_core:erase") in html


def test_the_download_is_a_dated_json_attachment_with_everything(registry, signed_in, resident):
    registry.register(PLUGIN, **notes_provider({resident.pk: ["a"]}))
    with translation.override("fr"):
        response = signed_in.post(reverse("civic_core:download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="mes-donnees-{today}.json"'
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["account"]["first_name"] == "Camille"
    assert data[PLUGIN]["notes"] == ["a"]


def test_the_download_is_post_only_and_throttled(signed_in):
    url = reverse("civic_core:download")
    assert signed_in.get(url).status_code == 405
    assert signed_in.post(url).status_code == 200
    refused = signed_in.post(url)
    assert refused.status_code == 429
    assert "Content-Disposition" not in refused


def test_deletion_asks_for_the_password_and_refuses_a_wrong_one(signed_in, resident):
    url = reverse("civic_core:erase")
    page = signed_in.get(url)
    assert page.status_code == 200
    assert 'name="password"' in page.content.decode()

    wrong = signed_in.post(url, {"password": "not it"})
    assert wrong.status_code == 400
    assert get_user_model().objects.filter(pk=resident.pk).exists()
    assert signed_in.post(url, {}).status_code == 400
    assert get_user_model().objects.filter(pk=resident.pk).exists()


def test_deletion_needs_the_csrf_token(resident):
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    response = client.post(reverse("civic_core:erase"), {"password": PASSWORD})
    assert response.status_code == 403
    assert get_user_model().objects.filter(pk=resident.pk).exists()


def test_deletion_erases_through_the_registry_and_signs_out(registry, signed_in, resident):
    store = {resident.pk: ["a note"]}
    registry.register(PLUGIN, **notes_provider(store))

    response = signed_in.post(reverse("civic_core:erase"), {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("civic_core:erased")
    assert store == {}
    assert not get_user_model().objects.filter(pk=resident.pk).exists()
    farewell = signed_in.get(response["Location"])
    assert farewell.status_code == 200
    assert "_auth_user_id" not in signed_in.session
    assert signed_in.get(reverse("civic_core:my_data")).status_code == 302


def test_an_account_without_password_confirms_with_its_username(client):
    user = get_user_model().objects.create_user("oidc-4821", "x@example.org")
    client.force_login(user)
    url = reverse("civic_core:erase")
    assert 'name="username"' in client.get(url).content.decode()
    assert client.post(url, {"username": "someone"}).status_code == 400
    assert client.post(url, {"username": "oidc-4821"}).status_code == 302
    assert not get_user_model().objects.filter(pk=user.pk).exists()


def test_a_superuser_is_told_to_ask_another_administrator(client):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)
    client.force_login(admin)
    url = reverse("civic_core:erase")
    with translation.override("en"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 403
        assert "ask another administrator" in page.content.decode()
        assert client.post(url, {"password": PASSWORD}).status_code == 403
    assert get_user_model().objects.filter(pk=admin.pk).exists()


def test_slugs_are_in_the_site_language_whatever_the_visitor_reads():
    with translation.override("en"):
        assert reverse("civic_core:erase") == "/mon-compte/supprimer/"
        assert reverse("civic_core:download") == "/mon-compte/telecharger/"
        assert reverse("civic_core:erased") == "/mon-compte/supprime/"


def test_the_pages_work_in_a_bare_wagtail_site(settings, signed_in, client):
    """The one-plugin test site: a `wagtail start` base template, no resident account pages
    (``LOGIN_URL`` names a page it does not route), civic_core's routes included."""
    settings.PLUGIN_UNDER_TEST = PLUGIN
    settings.ROOT_URLCONF = "tests.plugin_site.urls"
    settings.LOGIN_URL = "account_login"
    templates = [dict(settings.TEMPLATES[0])]
    templates[0]["DIRS"] = [PLUGIN_SITE_TEMPLATES]
    settings.TEMPLATES = templates

    page = signed_in.get(reverse("civic_core:my_data"))
    assert page.status_code == 200
    assert '<main id="main">' in page.content.decode()
    assert signed_in.get(reverse("civic_core:erase")).status_code == 200

    client.logout()
    redirected = client.get(reverse("civic_core:my_data"))
    assert redirected["Location"].startswith(reverse("wagtailadmin_login"))

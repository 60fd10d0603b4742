"""The resident sign-in page in a real Chromium on a 390 px wide phone: readable without
sideways scrolling, accessible, and both ways of signing in work end to end."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from civic_core.identity import SESSION_KEY
from tests.identity.conftest import CAMILLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "une phrase de passe 2026"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    # The site's Content-Security-Policy would block the axe-core audit script the test injects.
    context = browser.new_context(locale="fr-FR", viewport=PHONE, bypass_csp=True)
    browser_page = context.new_page()
    browser_page.set_default_timeout(15_000)
    yield browser_page
    context.close()


def page_width(browser_page):
    return browser_page.evaluate("document.documentElement.scrollWidth")


def test_the_sign_in_page_fits_a_phone_and_signs_in_by_e_mail(
    phone, live_server, wagtail_roots, axe_violations
):
    user = get_user_model().objects.create_user("camille", "camille@example.org", PASSWORD)
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)

    phone.goto(live_server.url + "/compte/login/?next=/")

    expect(phone.get_by_role("heading", level=1)).to_have_text("Se connecter")
    assert page_width(phone) <= PHONE["width"]
    assert axe_violations(phone) == []
    email = phone.get_by_label("E-mail")
    expect(email).to_be_visible()
    box = email.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

    email.fill("camille@example.org")
    phone.get_by_label("Mot de passe").fill(PASSWORD)
    phone.locator("main form button[type=submit]").click()

    expect(phone).to_have_url(live_server.url + "/")
    assert phone.context.cookies()  # the session cookie of a signed-in resident


def test_a_resident_signs_in_through_the_identity_provider_in_the_browser(
    phone, live_server, wagtail_roots, oidc_provider, axe_violations, settings
):
    settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"  # the callback URL of the test server
    phone.goto(live_server.url + "/compte/login/")
    button = phone.get_by_role("link", name="Se connecter avec FranceConnect")
    expect(button).to_be_visible()
    assert page_width(phone) <= PHONE["width"]
    assert axe_violations(phone) == []

    button.click()
    phone.locator("main form button[type=submit]").click()  # allauth's "continue" step

    expect(phone).to_have_url(re.compile(re.escape(live_server.url) + r"/$"))
    sessions = [session.get_decoded() for session in Session.objects.all()]
    identities = [data[SESSION_KEY] for data in sessions if SESSION_KEY in data]
    assert [identity["subject"] for identity in identities] == [CAMILLE["sub"]]
    assert identities[0]["birthdate"] == "1990-04-12"

"""Journeys on the reference site in a real Chromium: a visitor reads, an editor publishes."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from civic_site.demo_accounts import DEMO_PASSWORD, ensure_demo_accounts
from civic_site.demo_content import build_editorial_content
from home.models import NewsPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(wagtail_roots):
    home = build_editorial_content()
    ensure_demo_accounts()
    return home


def log_into_admin(page, base_url, username):
    page.goto(base_url + "/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_visitor_reads_home_news_and_an_event(page, live_server, demo_site, axe_violations):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("participez")
    assert axe_violations(page) == []

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Actualités"
    ).click()
    expect(page).to_have_url(re.compile(r"/actualites/$"))
    page.get_by_role("link", name="Lancement de la plateforme « Aux actes, Citoyens ! »").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Lancement de la plateforme « Aux actes, Citoyens ! »"
    )
    assert axe_violations(page) == []

    page.goto(live_server.url + "/agenda/")
    page.get_by_role("link", name=re.compile("Café citoyen — Coteaux")).click()
    expect(page.get_by_text("Maison de quartier Coteaux")).to_be_visible()
    expect(page.get_by_role("link", name="S'inscrire")).to_be_visible()
    assert axe_violations(page) == []


def test_visitor_switches_to_english_with_the_keyboard(page, live_server, demo_site):
    page.goto(live_server.url + "/")
    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()
    expect(page.get_by_role("link", name="Skip to content")).to_be_attached()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()


def test_editor_publishes_a_change_seen_on_the_site_and_the_api(page, live_server, demo_site):
    news = NewsPage.objects.get(slug="mulhouse-solidaire")
    assert get_user_model().objects.filter(username="editor").exists()

    log_into_admin(page, live_server.url, "editor")

    page.goto(f"{live_server.url}/admin/pages/{news.pk}/edit/")
    title = page.locator("#id_title")
    title.fill("Mulhouse solidaire : plus que quelques jours pour voter")
    # Wagtail keeps "Publish" in the menu next to the "Save draft" button.
    page.locator("[data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name=re.compile("Publier|Publish")).click()
    expect(page.locator(".messages")).to_contain_text(re.compile("publiée|published"))

    page.goto(live_server.url + news.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mulhouse solidaire : plus que quelques jours pour voter"
    )
    api = page.request.get(f"{live_server.url}/api/v2/pages/{news.pk}/").json()
    assert api["title"] == "Mulhouse solidaire : plus que quelques jours pour voter"

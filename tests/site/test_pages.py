"""Every editorial page type renders for a visitor, with its content and navigation."""

import pytest
from django.utils.html import escape
from wagtail.models import Page

from home.models import EventIndexPage, EventPage, NewsPage

pytestmark = pytest.mark.django_db


def test_home_page_shows_hero_menu_latest_news_and_upcoming_events(client, site_home):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert escape(site_home.hero_title) in html
    # Pages marked "show in menus" form the main menu.
    for title in ("Agence de la participation citoyenne", "Actualités", "Agenda"):
        assert f">{title}</a>" in html
    assert "Mulhouse solidaire" in html  # the latest news
    assert "Café citoyen — Coteaux" in html  # an event ahead of today


def test_news_index_lists_news_newest_first(client, site_home):
    html = client.get("/actualites/").content.decode()
    assert html.index("Mulhouse solidaire") < html.index("Lancement de la plateforme")


def test_news_page(client, site_home):
    response = client.get("/actualites/lancement-aux-actes-citoyens/")
    assert response.status_code == 200
    assert "Grasse, Vitrolles et Aix-en-Provence" in response.content.decode()


def test_printemps_citoyen_has_its_51_events(site_home):
    agenda = EventIndexPage.objects.get()
    assert (
        EventPage.objects.child_of(agenda).filter(slug__startswith="printemps-citoyen").count()
        == 51
    )


def test_event_page_shows_when_where_and_registration(client, site_home):
    event = EventPage.objects.exclude(registration_url="").first()
    html = client.get(event.url).content.decode()
    assert event.place in html
    assert event.registration_url in html
    assert f'datetime="{event.start.isoformat()}"' in html or "datetime=" in html


def test_agency_page_shows_contact(client, site_home):
    html = client.get("/agence-de-la-participation/").content.decode()
    assert "33a avenue de Colmar" in html
    assert "03 69 77 65 93" in html


def test_streamfield_blocks_render(client, site_home):
    html = client.get("/aux-actes-citoyens/").content.decode()
    assert "<h2>Deux circuits de prise en compte</h2>" in html
    assert "<blockquote>" in html
    assert 'href="/agence-de-la-participation/"' in html  # call to action to a page


def test_search_finds_pages_and_paginates(client, site_home):
    response = client.get("/search/", {"query": "Printemps"})
    assert response.status_code == 200
    assert response.context["results"].paginator.count >= 51
    assert len(response.context["results"]) == 10


def test_search_survives_odd_input(client, site_home):
    for query in ("", " ", "'\"<script>", "a" * 5000):
        response = client.get("/search/", {"query": query, "page": "not-a-number"})
        assert response.status_code == 200
        assert "<script>" not in response.content.decode().split("</header>", 1)[1]


def test_draft_pages_are_not_public(client, site_home):
    news = NewsPage.objects.first()
    news.unpublish()
    assert client.get(news.url_path.replace("/accueil", "", 1)).status_code == 404
    assert not Page.objects.live().filter(pk=news.pk).exists()


def test_english_interface(client, site_home):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Skip to content" in html
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Aller au contenu" in html


def test_unknown_page_is_a_friendly_404(client, site_home):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()

"""Editors preview drafts with the site's templates, or in a separate front-end (headless)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from home.models import NewsPage

pytestmark = pytest.mark.django_db


def draft_of(news):
    news.title = "Brouillon : Mulhouse solidaire"
    return news


def test_headless_front_end_reads_the_draft_by_token(client, site_home):
    news = draft_of(NewsPage.objects.get(slug="mulhouse-solidaire"))
    preview = news.create_page_preview()
    response = client.get(
        "/api/v2/page_preview/", {"content_type": "home.newspage", "token": preview.token}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Brouillon : Mulhouse solidaire"
    assert data["meta"]["type"] == "home.NewsPage"
    # The published page is untouched.
    assert NewsPage.objects.get(pk=news.pk).title != data["title"]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({}, 400),
        ({"content_type": "home.newspage"}, 400),
        ({"content_type": "nothing.here", "token": "x"}, 400),
        ({"content_type": "auth.user", "token": "x"}, 400),
        ({"content_type": "home.newspage", "token": "forged:token"}, 404),
    ],
)
def test_preview_endpoint_refuses_bad_requests(client, site_home, params, status):
    response = client.get("/api/v2/page_preview/", params)
    assert response.status_code == status
    assert response.json()["error"]["status"] == status


def test_preview_uses_site_templates_unless_a_front_end_is_configured(settings, site_home):
    news = draft_of(NewsPage.objects.get(slug="mulhouse-solidaire"))
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    request.user = AnonymousUser()

    settings.HEADLESS_PREVIEW_ENABLED = False
    own = news.serve_preview(request, "")
    assert "Brouillon : Mulhouse solidaire" in own.rendered_content

    settings.HEADLESS_PREVIEW_ENABLED = True
    headless = news.serve_preview(request, "")
    assert "content_type=home.newspage" in headless.content.decode()
    assert "token=" in headless.content.decode()

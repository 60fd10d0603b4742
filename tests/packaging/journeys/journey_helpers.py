"""Helpers of the journey scripts, run by `manage.py shell` inside a city's project.

A journey sets up what an editor would place in the page tree (through the ORM, as the
Wagtail admin does), then acts as residents and members do: over HTTP, with Django's test
client. It raises AssertionError on the first step that fails and prints JOURNEY OK at the end.
"""

import re

from django.test import Client
from wagtail.models import Site


def client():
    return Client(HTTP_HOST="localhost")


def add_page(page):
    """Publish ``page`` under the site's home page, as an editor would."""
    root = Site.objects.get(is_default_site=True).root_page
    root.add_child(instance=page)
    page.save_revision().publish()
    return page


def expect(condition, message, response=None):
    if not condition:
        detail = ""
        if response is not None:
            detail = f" ({response.status_code}: {response.content[:400]!r})"
        raise AssertionError(message + detail)


def visit(http, url, stylesheet):
    """GET a public page: it answers 200 and links the plugin's stylesheet."""
    response = http.get(url)
    expect(response.status_code == 200, f"GET {url}", response)
    html = response.content.decode()
    expect(re.search(rf'href="[^"]*{re.escape(stylesheet)}"', html), f"{stylesheet} on {url}")
    return html

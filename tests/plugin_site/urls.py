"""URLs of the one-plugin test site: what a city adds to its own urls.py to install a plugin."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

plugin = settings.PLUGIN_UNDER_TEST
prefix = plugin.removeprefix("civic_")

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path(f"api/{prefix}/", include(f"{plugin}.api.urls")),
    path("mon-compte/", include("civic_core.urls")),
    path("", include(wagtail_urls)),
]

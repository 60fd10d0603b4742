"""The resident's own pages. A city includes them under a prefix of its choice:

    path("mon-compte/", include("civic_core.urls")),

Slugs follow the site's language (:mod:`civic_core.routes`), so a shared link works for all.
"""

from django.urls import path
from django.utils.translation import gettext_noop

from civic_core import views
from civic_core.routes import site_slug

app_name = "civic_core"

urlpatterns = [
    path("", views.my_data, name="my_data"),
    path(site_slug(gettext_noop("download/")), views.download, name="download"),
    path(site_slug(gettext_noop("delete/")), views.erase, name="erase"),
    path(site_slug(gettext_noop("deleted/")), views.erased, name="erased"),
]

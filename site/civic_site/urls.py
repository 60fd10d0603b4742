from django.apps import apps
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from civic_core.api import api_not_found
from civic_core.privacy_api import PersonalDataView
from civic_site.api.auth import TokenEndpoint
from civic_site.api.wagtail_router import api_router
from home import views as home_views

# Each plugin is optional: a one-plugin site keeps only its own routes.
PLUGIN_APIS = [
    ("civic_participation", "participation"),
    ("civic_consultation", "consultation"),
    ("civic_budget", "budget"),
]

api_patterns = [
    path("v2/", api_router.urls),
    path("token/", TokenEndpoint.as_view(), name="api-token"),
    path("me/data/", PersonalDataView.as_view(), name="api-personal-data"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
for app_name, prefix in PLUGIN_APIS:
    if apps.is_installed(app_name):
        api_patterns.append(path(f"{prefix}/", include(f"{app_name}.api.urls")))
api_patterns.append(re_path(r"^.*$", api_not_found))

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", include(api_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    # Resident accounts: sign-up, sign-in (e-mail or the city's identity provider), password.
    path("compte/", include("allauth.urls")),
    path("mon-compte/", include("civic_core.urls")),
    path("search/", home_views.search, name="search"),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))

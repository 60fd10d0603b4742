"""Sub-page slugs follow the site's language, never the visitor's."""

from django.utils import translation
from django.utils.translation import gettext_noop

from civic_core.routes import site_slug

# A slug the consultation's French catalogue translates.
SLUG = gettext_noop("results/")


def test_the_slug_is_the_sites_whatever_the_visitor_speaks(settings):
    settings.LANGUAGE_CODE = "fr"
    for visitor in ("fr", "en"):
        with translation.override(visitor):
            assert str(site_slug(SLUG)) == "resultats/"
    settings.LANGUAGE_CODE = "en"
    with translation.override("fr"):
        assert str(site_slug(SLUG)) == "results/"

"""Sub-page slugs of routable pages, in the site's language.

A slug marked with ``gettext_noop`` and wrapped in :func:`site_slug` is translated into
``settings.LANGUAGE_CODE``, whatever the visitor's language: an English site answers
``results/``, a French one ``resultats/``, and a link one resident shares works for every other
(slugs that followed each visitor's language would not). A city renames a slug in its own
translation catalogue; links are built from route names, so they follow.
"""

from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy


def _in_site_language(slug):
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(slug)


site_slug = lazy(_in_site_language, str)

"""Sub-page slugs of routable pages, in the site's language.

A slug marked with ``gettext_noop`` and wrapped in :func:`site_slug` is translated into
``settings.LANGUAGE_CODE``, whatever the visitor's language: an English site answers
``results/``, a French one ``resultats/``, and a link one resident shares works for every other
(slugs that followed each visitor's language would not). A city renames a slug in its own
translation catalogue; links are built from route names, so they follow.
"""

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from django.utils.functional import lazy


def _in_site_language(slug):
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(slug)


site_slug = lazy(_in_site_language, str)


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


@receiver(setting_changed)
def forget_compiled_slugs(setting, **kwargs):
    """Django compiles a translated route once per active language; a site whose language
    changes (in tests) must compile its slugs again."""
    if setting != "LANGUAGE_CODE":
        return
    from wagtail.contrib.routable_page.models import RoutablePageMixin

    for page_class in _subclasses(RoutablePageMixin):
        resolver = page_class.__dict__.get("_routablepage_urlresolver")
        if resolver is None:
            continue
        for url_pattern in resolver.url_patterns:
            getattr(url_pattern.pattern, "_regex_dict", {}).clear()
        delattr(page_class, "_routablepage_urlresolver")

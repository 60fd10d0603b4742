"""``{% routablepageurl page "name" args %}`` for the participation templates.

Wagtail's own tag lives in ``wagtail.contrib.routable_page``, which a host site need not list in
``INSTALLED_APPS`` for routable pages to work; this library registers the same tag so the
plugin's templates link to the index page's sub-pages by route name wherever it is installed.
"""

from django import template
from wagtail.contrib.routable_page.templatetags.wagtailroutablepage_tags import routablepageurl

register = template.Library()
register.simple_tag(routablepageurl, takes_context=True)

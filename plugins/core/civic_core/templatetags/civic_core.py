"""Template tags every plugin uses: ``{% load civic_core %}``.

``{% routablepageurl page "name" args %}`` links to a routable page's sub-page by route name.
It is Wagtail's own tag, registered here because a host site need not list
``wagtail.contrib.routable_page`` in ``INSTALLED_APPS`` for routable pages to work.
"""

from django import template
from wagtail.contrib.routable_page.templatetags.wagtailroutablepage_tags import routablepageurl

register = template.Library()
register.simple_tag(routablepageurl, takes_context=True)

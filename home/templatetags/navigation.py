from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.inclusion_tag("home/includes/main_menu.html", takes_context=True)
def main_menu(context):
    """Top-level pages that editors marked "show in menus", in tree order."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    items = []
    if site is not None:
        items = site.root_page.get_children().live().public().in_menu()
    current = context.get("page")
    return {"items": items, "current_path": getattr(current, "url_path", ""), "site": site}


@register.simple_tag(takes_context=True)
def site_root(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page if site else Page.objects.none().first()

import re

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Page

SEARCH_PAGE_SIZE = 10
SEARCH_QUERY_MAX_LENGTH = 200


def search(request):
    """Full-text search over the live, public pages of the site."""
    query = request.GET.get("query", "").strip()[:SEARCH_QUERY_MAX_LENGTH]
    # Search backends give operators their own meaning; visitors type words.
    words = " ".join(re.findall(r"\w+", query))
    results = Page.objects.none()
    if words:
        results = Page.objects.live().public().specific().search(words)
    page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "home/search.html", {"query": query, "results": page})

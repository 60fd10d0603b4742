"""Every API route of the site, as concrete paths to existing items of the demo site."""

import re
from dataclasses import dataclass

from django.urls import URLResolver, get_resolver

from tests.security.responses import json_body

GROUP = re.compile(r"\(\?P<(?P<regex_name>\w+)>[^)]*\)|<(?:\w+:)?(?P<path_name>\w+)>")
# Item values from the item's list route, by the name the route gives them.
LIST_KEYS = {"pk": "id", "slug": "slug"}
# The API documentation pages are HTML for people, not endpoints.
NOT_ENDPOINTS = ("api/schema/", "api/docs/", "api/redoc/")


@dataclass(frozen=True)
class Route:
    pattern: str
    methods: tuple

    @property
    def has_format_suffix(self):
        return "(?P<format>" in self.pattern

    def __str__(self):
        return f"{'/'.join(self.methods)} {self.pattern}"


def _walk(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry.callback


def _methods(callback):
    actions = getattr(callback, "actions", None)
    if actions:
        return tuple(sorted(actions))
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is None:
        return ("get",)
    return tuple(
        sorted(m for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m))
    )


def api_routes():
    """Every route under /api/, its `.json` twins included (the catch-all answers the rest)."""
    routes = []
    for pattern, callback in _walk(get_resolver()):
        if pattern.startswith("api/") and pattern not in NOT_ENDPOINTS and ".*" not in pattern:
            routes.append(Route(pattern, _methods(callback)))
    return routes


class PathBuilder:
    """Turns a route into a path to an existing item, asking the item's list route for one."""

    def __init__(self, client):
        self.client = client
        self.first_items = {}

    def path(self, route):
        pattern = route.pattern
        while match := GROUP.search(pattern):
            name = match.group("regex_name") or match.group("path_name")
            value = self._value(name, "/" + _plain(pattern[: match.start()]))
            pattern = pattern[: match.start()] + value + pattern[match.end() :]
        return "/" + _plain(pattern)

    def _value(self, name, list_path):
        if name == "format":
            return "json"
        item = self._first_item(list_path)
        return str(item.get(LIST_KEYS.get(name, "id"), 1)) if item else "1"

    def _first_item(self, list_path):
        if list_path not in self.first_items:
            response = self.client.get(list_path)
            body = json_body(response)
            items = body.get("results") or body.get("items") if isinstance(body, dict) else body
            self.first_items[list_path] = items[0] if items else None
        return self.first_items[list_path]


def _plain(pattern):
    return pattern.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "/")

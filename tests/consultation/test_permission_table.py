"""The permission table (civic_consultation.access, docs/consultation-permissions.md) checked
over every route of the plugin, for every role.

The routes are found by introspecting the API's URL patterns and the member space's URL
resolver: a route missing from the table, or a row naming a route that no longer exists, fails.
Each (route, method) is then called by each role: a role the table allows gets an answer other
than a refusal and never a 500; any other role is refused (401, 403, 404, or the member space's
redirect to its login or home page) and nothing changes in the plugin's tables. GET requests
of residents (anonymous, participant, signed-in user) never change anything either.
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser, Group
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from civic_consultation import access, identity, services
from civic_consultation.api import urls as api_urls
from civic_consultation.models import Proposal
from tests.consultation.factories import (
    ProposalFactory,
    ThemeFactory,
    UserFactory,
    consultation_page,
    moderator,
)

pytestmark = pytest.mark.django_db

SKIPPED_METHODS = {"head", "options", "trace"}
REFUSED = (401, 403, 404)
RESIDENTS = (access.ANONYMOUS, access.PARTICIPANT, access.USER)


# Introspection ------------------------------------------------------------------------------


def api_routes():
    """{route name: {METHOD}} from the API's URL patterns (the router's and the others)."""
    found = {}
    for pattern in api_urls.urlpatterns:
        callback = pattern.callback
        actions = getattr(callback, "actions", None)
        if actions is None:
            view = getattr(callback, "view_class", None) or callback.cls
            actions = {m: m for m in view.http_method_names if hasattr(view, m)}
        methods = {m.upper() for m in actions if m not in SKIPPED_METHODS}
        found.setdefault(pattern.name, set()).update(methods)
    return found


def _walk(patterns):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "civic_consultation_api":
                continue
            yield from _walk(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            yield entry


def admin_route_names():
    """Every URL name of the member space (Wagtail admin) that the plugin registers."""
    return {
        pattern.name
        for pattern in _walk(get_resolver().url_patterns)
        if pattern.name and pattern.name.startswith("civic_consultation_")
    }


def test_every_api_route_and_method_is_in_the_table_and_nothing_else():
    declared = {name: set(methods) for name, methods in access.API_ROUTES.items()}
    assert api_routes() == declared


def test_every_member_space_view_is_in_the_table_and_nothing_else():
    assert admin_route_names() == set(access.ADMIN_ROUTES)


def test_every_page_route_is_in_the_table():
    from civic_consultation.models import ConsultationPage

    names = {f"page:{name}" for name in ConsultationPage(slug="x").routes()}
    assert names == set(access.PAGE_ROUTES)


def test_every_rule_names_a_row_of_the_permission_table():
    for routes in (access.API_ROUTES, access.ADMIN_ROUTES, access.PAGE_ROUTES):
        for methods in routes.values():
            assert set(methods.values()) <= set(access.PERMISSIONS)


def test_roles_of_each_kind_of_actor(world):
    consultation_id = world["consultation"].pk
    users = world["users"]

    def roles(user, request=None):
        return access.roles_of(access.Actor(user, request), consultation_id)

    request = RequestFactory().get("/")
    request.COOKIES[identity.cookie_name(consultation_id)] = identity.make_token(
        world["participant"]
    )
    assert roles(AnonymousUser()) == {access.ANONYMOUS}
    assert roles(AnonymousUser(), request) == {access.ANONYMOUS, access.PARTICIPANT}
    assert roles(users[access.USER]) == {access.USER}
    assert roles(users[access.MODERATOR]) == {access.USER, access.MODERATOR}
    assert roles(users[access.EDITOR]) == {access.USER, access.EDITOR}
    assert roles(users[access.SUPERUSER]) == {
        access.USER,
        access.MODERATOR,
        access.EDITOR,
        access.SUPERUSER,
    }
    services.join(world["consultation"], user=users[access.USER])
    assert roles(users[access.USER]) == {access.USER, access.PARTICIPANT}


# Calling each route as each role -----------------------------------------------------------


@pytest.fixture
def world(consultation):
    """A consultation with what each route acts on, and a client per role."""
    theme = ThemeFactory(consultation=consultation)
    accepted = ProposalFactory(consultation=consultation, theme=theme)
    pending = ProposalFactory(consultation=consultation, status=Proposal.Status.PENDING)
    participant = services.join(consultation)
    editor = UserFactory(username="editor")
    editor.groups.add(Group.objects.get(name="Consultation editors"))
    users = {
        access.USER: UserFactory(username="resident"),
        access.MODERATOR: moderator(),
        access.EDITOR: editor,
        access.SUPERUSER: UserFactory(username="root", is_superuser=True, is_staff=True),
    }
    return {
        "consultation": consultation,
        "accepted": accepted,
        "pending": pending,
        "participant": participant,
        "users": users,
        "page": consultation_page(consultation),
    }


def client_for(role, world, api):
    client = APIClient() if api else Client()
    if role == access.PARTICIPANT:
        token = identity.make_token(world["participant"])
        if api:
            client.credentials(**{identity.HEADER: token})
        client.cookies[identity.cookie_name(world["consultation"].pk)] = token
    elif role in world["users"]:
        client.force_login(world["users"][role])
    return client


def api_url(name, world):
    pattern = next(p for p in api_urls.urlpatterns if p.name == name)
    kwargs = {}
    if "pk" in pattern.pattern.regex.groupindex:
        kwargs["pk"] = world["accepted" if name.startswith("proposal-") else "consultation"].pk
    return reverse(f"civic_consultation_api:{name}", kwargs=kwargs)


def admin_url(name, world):
    pattern = next(p for p in _walk(get_resolver().url_patterns) if p.name == name)
    names = pattern.pattern.regex.groupindex
    kwargs = {}
    if "consultation_id" in names:
        kwargs["consultation_id"] = world["consultation"].pk
    if "proposal_id" in names:
        kwargs["proposal_id"] = world["pending"].pk
    if "instance_pk" in names:
        kind = "pending" if "_proposal_" in name else "consultation"
        kwargs["instance_pk"] = world[kind].pk
    return reverse(name, kwargs=kwargs)


def body(name, world):
    """What an allowed caller would post: enough to pass the permission check."""
    consultation = world["consultation"]
    return {
        "consultation-vote": {"proposal": world["accepted"].pk, "value": "agree"},
        "consultation-profile": {"skip": True},
        "proposal-list": {"consultation": consultation.pk, "text": "Il faut des bancs partout"},
        "civic_consultation_review": {"decision": "postpone"},
        "civic_consultation_flagged": {"participant": world["participant"].pk},
    }.get(name, {})


def snapshot():
    """Every row of the plugin's tables."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("civic_consultation").get_models()
    }


def is_member_space_refusal(response):
    """Wagtail answers a refusal in the member space by a redirect: to its login page, or (for
    a member, PermissionDenied) to its home page with the message "you do not have
    permission"."""
    location = response.get("Location", "")
    return response.status_code == 302 and (
        "login" in location or location == reverse("wagtailadmin_home")
    )


def call(client, method, url, data, api):
    # secure: a site may redirect plain HTTP to HTTPS (SECURE_SSL_REDIRECT).
    if method == "GET":
        return client.get(url, secure=True)
    if api:
        return client.post(url, data, format="json", secure=True)
    return client.post(url, data, secure=True)


def cases(routes, area):
    return [
        pytest.param(area, name, method, id=f"{name}-{method}")
        for name, methods in routes.items()
        for method in methods
        if name != "api-root"
    ]


@pytest.mark.parametrize(
    ("area", "name", "method"),
    cases(access.API_ROUTES, "api")
    + cases(access.ADMIN_ROUTES, "admin")
    + cases(access.PAGE_ROUTES, "page"),
)
def test_each_role_is_allowed_or_refused_as_the_table_says(area, name, method, world):
    rule = (access.API_ROUTES | access.ADMIN_ROUTES | access.PAGE_ROUTES)[name][method]
    allowed_roles = access.PERMISSIONS[rule]
    if area == "api":
        url = api_url(name, world)
    elif area == "admin":
        url = admin_url(name, world)
    else:
        url = world["page"].routes()[name.removeprefix("page:")]
    for role in access.ROLES:
        with transaction.atomic():
            client = client_for(role, world, api=area == "api")
            before = snapshot()
            response = call(client, method, url, body(name, world), api=area == "api")
            status = response.status_code
            where = f"{role} {method} {url}: {status}"
            assert status < 500, where
            if role in allowed_roles:
                assert status not in REFUSED and not is_member_space_refusal(response), where
            else:
                assert status in REFUSED or is_member_space_refusal(response), where
                assert snapshot() == before, f"refused, yet changed: {where}"
            if method == "GET" and role in RESIDENTS:
                assert snapshot() == before, f"a resident's GET changed rows: {where}"
            transaction.set_rollback(True)

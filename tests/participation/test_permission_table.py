"""Every API route and member-space view of the plugin, for every role, against the permission
table (``civic_participation.access``): allowed answers 2xx/3xx (or, for a transition, a refusal
about the input or the state, never about the role), refused answers 401/403/404 or a redirect
and changes nothing; never 500. The routes are read from the URL resolver: a route the table
below does not classify fails the test, so a new route cannot slip by unclassified.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse

from civic_participation import access, wagtail_hooks
from civic_participation.api import urls as api_urls
from civic_participation.models import (
    Attachment,
    Deadline,
    DiscussionMessage,
    InternalNote,
    Offer,
    Request,
    TimelineEvent,
)
from civic_participation.workflow import TRANSITIONS
from tests.participation.factories import ThemeFactory, UserFactory, answered_request, open_offer

# Test account -> the role it holds on the world's items (by construction of the city).
ACCOUNTS = {
    "anonymous": access.ANONYMOUS,
    "resident": access.SIGNED_IN,  # a Wagtail editor without any participation role
    "other_member": access.SIGNED_IN,
    "other_agent": access.SIGNED_IN,
    "member": access.COUNCIL_MEMBER,
    "referent": access.COUNCIL_REFERENT,
    "agent": access.AGENT,
    "manager": access.MANAGER,
    "coordinator": access.COORDINATOR,
    "elected": access.ELECTED,
    "superuser": access.SUPERUSER,
}
# Accounts that reach the member space at all (a membership, a role group, superuser).
MEMBER_SPACE = set(ACCOUNTS) - {"anonymous", "resident"}
REFUSED_API = {401, 403, 404}
REFUSED_ADMIN = {302, 403, 404}
# Directory tables are edited through model permissions the Coordinators group holds.
DIRECTORY = {access.COORDINATOR, access.SUPERUSER}
KINDS = {"request": Request, "offer": Offer, "invitation": "invitation"}


def model_of(kind):
    from civic_participation.models import Invitation

    return Invitation if kind == "invitation" else KINDS[kind]


def table_roles(kind, ability):
    """The roles the table lets do ``ability`` (an ability or a transition) on ``kind``."""
    model = model_of(kind)
    if ability in access.TABLE[model]:
        return access.TABLE[model][ability].roles
    return access.transition_table()[model][ability.replace("-", "_")]


@pytest.fixture
def world(city, settings):
    item = answered_request(city)
    offer = open_offer(city, [city.council])
    invitation = offer.invitations.get(council=city.council)
    files = {
        "request": Attachment.objects.create(
            request=item, title="Plan", file=SimpleUploadedFile("a.txt", b"plan"), size=4
        ),
        "invitation": Attachment.objects.create(
            invitation=invitation, title="Avis", file=SimpleUploadedFile("b.txt", b"avis"), size=4
        ),
    }
    accounts = {name: getattr(city, name, None) for name in ACCOUNTS}
    accounts["resident"] = UserFactory(username="resident", groups=["Editors"])
    accounts["superuser"] = UserFactory(username="root", is_superuser=True, is_staff=True)
    return {
        "objects": {"request": item, "offer": offer, "invitation": invitation},
        "files": files,
        "deadline": Deadline.objects.filter(invitation=invitation, status="open").first(),
        "accounts": accounts,
        "city": city,
        "theme": ThemeFactory(),
    }


def snapshot(world):
    """What a refused write must leave as it was."""
    objects = world["objects"]
    return (
        TimelineEvent.objects.count(),
        DiscussionMessage.objects.count(),
        InternalNote.objects.count(),
        Attachment.objects.count(),
        Request.objects.count(),
        Offer.objects.count(),
        tuple(type(obj).objects.get(pk=obj.pk).state for obj in objects.values()),
        tuple(Deadline.objects.values_list("due_on", flat=True).order_by("pk")),
    )


def upload():
    return SimpleUploadedFile("compte-rendu.txt", "Compte rendu de séance".encode(), "text/plain")


# API -------------------------------------------------------------------------------------------


def api_routes(world):
    """(url name, method, url, body, format, kind, ability or None for public) per API route."""
    objects, files, city = world["objects"], world["files"], world["city"]
    routes = {
        "api-root": [("get", "/api/participation/", None, None, None, None)],
        "public-request-list": [("get", None, None, None, None, None)],
        "public-offer-list": [("get", None, None, None, None, None)],
        "public-council-list": [("get", None, None, None, None, None)],
        "public-service-list": [("get", None, None, None, None, None)],
        "public-theme-list": [("get", None, None, None, None, None)],
        "public-statistics-list": [("get", None, None, None, None, None)],
        "public-request-detail": [("get", [objects["request"].pk], None, None, None, None)],
        "public-offer-detail": [("get", [objects["offer"].pk], None, None, None, None)],
        "public-council-detail": [("get", [city.council.slug], None, None, None, None)],
        "public-service-detail": [("get", [city.service.slug], None, None, None, None)],
        "public-theme-detail": [("get", [world["theme"].slug], None, None, None, None)],
    }
    draft_bodies = {
        "request": (
            {"council": city.council.pk, "title": "Bancs", "description": "Oui"},
            "council",
        ),
        "offer": (
            {"service": city.service.pk, "title": "Atelier", "description": "Oui"},
            "service",
        ),
    }
    for kind, obj in objects.items():
        pk = [obj.pk]
        routes[f"{kind}-list"] = [("get", None, None, None, kind, "list")]
        if kind in draft_bodies:
            body, owner = draft_bodies[kind]
            routes[f"{kind}-list"].append(("post", None, body, "json", owner, access.DRAFT))
        routes[f"{kind}-detail"] = [("get", pk, None, None, kind, access.READ)]
        if kind != "offer":
            routes[f"{kind}-messages"] = [
                ("get", pk, None, None, kind, access.READ),
                ("post", pk, {"body": "Bonjour"}, "json", kind, access.DISCUSS),
            ]
            routes[f"{kind}-attachments"] = [
                ("get", pk, None, None, kind, access.READ),
                ("post", pk, "upload", "multipart", kind, access.DISCUSS),
            ]
            routes[f"{kind}-attachment-download"] = [
                ("get", [obj.pk, files[kind].pk], None, None, kind, access.READ)
            ]
        if kind != "invitation":
            routes[f"{kind}-notes"] = [
                ("get", pk, None, None, kind, access.READ_INTERNAL),
                ("post", pk, {"body": "Coût"}, "json", kind, access.NOTE),
            ]
        for name, transition_ in TRANSITIONS[model_of(kind)].items():
            if not transition_.by_system:
                slug = name.replace("_", "-")
                routes[f"{kind}-transition-{slug}"] = [("post", pk, {}, "json", kind, name)]
    return routes


def api_url(name, args):
    return reverse(f"civic_participation_api:{name}", args=args or [])


def expected_api(account, kind, ability):
    role = ACCOUNTS[account]
    if ability is None:
        return True
    if ability == "list":
        return account in MEMBER_SPACE
    return role in table_roles(kind, ability)


def test_every_api_route_is_in_the_table(world):
    names = {pattern.name for pattern in api_urls.urlpatterns}
    assert names == set(api_routes(world)), "classify the new API route in this test's table"


@pytest.mark.parametrize("account", ACCOUNTS)
def test_api_routes_follow_the_permission_table(account, world, client):
    from civic_participation.models import CityService, Council

    user = world["accounts"][account]
    if user is not None:
        client.force_login(user)
    drafting = {"council": Council, "service": CityService}
    for name, calls in api_routes(world).items():
        for method, args, body, fmt, kind, ability in calls:
            url = args if isinstance(args, str) else api_url(name, args)
            if kind in drafting:
                role = ACCOUNTS[account]
                allowed = role in access.TABLE[drafting[kind]][ability].roles
            else:
                allowed = expected_api(account, kind, ability)
            before = snapshot(world)
            if method == "get":
                response = client.get(url)
            elif fmt == "multipart":
                response = client.post(url, {"title": "CR", "file": upload()})
            else:
                response = client.post(url, body, content_type="application/json")
            where = f"{account} {method.upper()} {name}"
            assert response.status_code < 500, where
            if not allowed:
                assert response.status_code in REFUSED_API, where
                assert snapshot(world) == before, where
            elif method == "get" or ability in (access.DRAFT, access.DISCUSS, access.NOTE):
                assert response.status_code in (200, 201), where
                assert (snapshot(world) != before) is (method == "post"), where
            else:  # a transition: the role passes; the state or the input may still refuse
                assert response.status_code in (200, 400, 409), where


def test_list_shows_what_the_table_lets_read(world, client):
    for account, user in world["accounts"].items():
        if account not in MEMBER_SPACE:
            continue
        client.force_login(user)
        for kind, obj in world["objects"].items():
            rows = client.get(api_url(f"{kind}-list", None)).json()["results"]
            shown = obj.pk in {row["id"] for row in rows}
            assert shown is (ACCOUNTS[account] in table_roles(kind, access.READ)), (account, kind)


# Member space (Wagtail admin) ------------------------------------------------------------------

ITEM_MODELADMINS = ("request", "offer", "invitation")
DIRECTORY_MODELADMINS = (
    "council",
    "cityservice",
    "theme",
    "closureday",
    "deadlinepolicy",
    "councilmembership",
    "servicemembership",
)


def admin_routes(world):
    """(url name, method, args, data, kind, ability) per member-space route."""
    objects, files, city = world["objects"], world["files"], world["city"]
    routes = {}
    for kind in ITEM_MODELADMINS:
        pk = [objects[kind].pk]
        prefix = f"civic_participation_{kind}_modeladmin"
        routes[f"{prefix}_index"] = [("get", None, None, kind, "list")]
        routes[f"{prefix}_inspect"] = [("get", pk, None, kind, access.READ)]
        routes[f"{prefix}_create"] = [("get", None, None, kind, "nobody")]
        for view in ("edit", "delete"):
            routes[f"{prefix}_{view}"] = [("get", pk, None, kind, "nobody")]
        routes[f"{prefix}_history"] = [("get", pk, None, kind, access.READ)]
    queue = "civic_participation_routingqueueitem_modeladmin"
    routes[f"{queue}_index"] = [("get", None, None, "request", "routing")]
    for view in ("create", "edit", "delete", "history"):
        args = None if view == "create" else [objects["request"].pk]
        routes[f"{queue}_{view}"] = [("get", args, None, "request", "nobody")]
    directory_objects = {
        "council": city.council,
        "cityservice": city.service,
        "councilmembership": city.council.memberships.first(),
        "servicemembership": city.service.memberships.first(),
    }
    for model in DIRECTORY_MODELADMINS:
        prefix = f"civic_participation_{model}_modeladmin"
        routes[f"{prefix}_index"] = [("get", None, None, None, "directory")]
        routes[f"{prefix}_create"] = [("get", None, None, None, "directory")]
        obj = directory_objects.get(model)
        for view in ("edit", "delete", "history"):
            if obj is None:
                # Themes, closure days and policies: the city has none in this world.
                routes[f"{prefix}_{view}"] = [("get", [10**6], None, None, "missing")]
            else:
                routes[f"{prefix}_{view}"] = [("get", [obj.pk], None, None, "directory")]
    reminders = "civic_participation_reminderdelivery_modeladmin"
    routes[f"{reminders}_index"] = [("get", None, None, None, "list")]
    for view in ("create", "edit", "delete", "history"):
        args = None if view == "create" else [10**6]
        routes[f"{reminders}_{view}"] = [("get", args, None, None, "nobody")]
    routes["civic_participation_new_request"] = [
        ("get", None, None, None, "list"),
        (
            "post",
            None,
            {"council": city.council.pk, "title": "Bancs", "description": "Oui"},
            "council",
            access.DRAFT,
        ),
    ]
    routes["civic_participation_new_offer"] = [
        ("get", None, None, None, "list"),
        (
            "post",
            None,
            {"service": city.service.pk, "title": "Atelier", "description": "Oui"},
            "service",
            access.DRAFT,
        ),
    ]
    # The form shows to every reader (with the reason when refused); posting needs the role.
    routes["civic_participation_transition"] = [
        call
        for kind in ITEM_MODELADMINS
        for name, transition_ in TRANSITIONS[model_of(kind)].items()
        if not transition_.by_system
        for call in (
            ("get", [kind, objects[kind].pk, name], None, kind, access.READ),
            ("post", [kind, objects[kind].pk, name], {}, kind, name),
        )
    ]
    routes["civic_participation_message"] = [
        ("post", [kind, objects[kind].pk], {"body": "Bonjour"}, kind, access.DISCUSS)
        for kind in ITEM_MODELADMINS
    ]
    routes["civic_participation_note"] = [
        ("post", [kind, objects[kind].pk], {"body": "Coût"}, kind, access.NOTE)
        for kind in ITEM_MODELADMINS
    ]
    routes["civic_participation_attachment"] = [
        ("post", [kind, objects[kind].pk], "upload", kind, access.DISCUSS)
        for kind in ITEM_MODELADMINS
    ]
    deadline = world["deadline"]
    later = (deadline.due_on + timedelta(days=7)).isoformat()
    routes["civic_participation_extend_deadline"] = [
        ("get", [deadline.pk], None, "invitation", access.READ),
        (
            "post",
            [deadline.pk],
            {"due_on": later, "reason": "Conseil reporté"},
            "invitation",
            access.EXTEND_DEADLINE,
        ),
    ]
    routes["civic_participation_download"] = [
        ("get", [files[kind].pk], None, kind, access.READ) for kind in ("request", "invitation")
    ]
    return routes


def admin_route_names():
    resolver = get_resolver()
    names = {name for name in resolver.reverse_dict if isinstance(name, str)}
    return {name for name in names if name.startswith("civic_participation_")} | {
        pattern.name for pattern in wagtail_hooks.register_participation_urls()
    }


def test_every_member_space_route_is_in_the_table(world):
    assert admin_route_names() == set(admin_routes(world)), "classify the new member-space route"


def expected_admin(account, kind, ability):
    from civic_participation.models import CityService, Council

    role = ACCOUNTS[account]
    if ability == "nobody" or ability == "missing":
        return False
    if ability == "list":
        return account in MEMBER_SPACE
    if ability == "routing":
        return role in (access.COORDINATOR, access.SUPERUSER)
    if ability == "directory":
        return role in DIRECTORY
    if kind in ("council", "service"):
        model = Council if kind == "council" else CityService
        return role in access.TABLE[model][ability].roles
    return role in table_roles(kind, ability)


@pytest.mark.parametrize("account", ACCOUNTS)
def test_member_space_routes_follow_the_permission_table(account, world, client):
    user = world["accounts"][account]
    if user is not None:
        client.force_login(user)
    for name, calls in admin_routes(world).items():
        for method, args, data, kind, ability in calls:
            url = reverse(name, args=args or [])
            allowed = expected_admin(account, kind, ability)
            before = snapshot(world)
            if method == "get":
                response = client.get(url)
            elif data == "upload":
                response = client.post(url, {"title": "CR", "file": upload()})
            else:
                response = client.post(url, data)
            where = f"{account} {method.upper()} {name} {args}"
            assert response.status_code < 500, where
            if account == "anonymous":
                assert response.status_code == 302 and "login" in response["Location"], where
                continue
            transition = ability in table_roles_or_empty(kind)
            if method == "post" and not (allowed and not transition):
                # Refused, or a transition this item's state may refuse: the role check is
                # the API test's; here, a refused role never changes anything.
                if not allowed:
                    assert snapshot(world) == before, where
                continue
            if method == "post":
                assert response.status_code == 302, where
                assert snapshot(world) != before, where
            elif allowed:
                assert response.status_code == 200, where
            else:
                assert response.status_code in REFUSED_ADMIN, where


def table_roles_or_empty(kind):
    if kind not in KINDS:
        return {}
    return access.transition_table()[model_of(kind)]

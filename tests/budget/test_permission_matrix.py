"""Every route of the plugin (API, public pages, member space) for every role."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from civic_budget import voting
from civic_budget.api.urls import router
from civic_budget.models import Milestone, Project
from tests.budget import factories
from tests.budget.conftest import add_budget_page

ROLES = ("anonymous", "resident", "proposer", "reviewer", "agent", "other_agent", "superuser")
AGENTS = ("agent", "other_agent")
STAFF = ("reviewer", "superuser")


def expect(default, **by_role):
    return {role: by_role.get(role, default) for role in ROLES}


def signed_in(code, anonymous=403):
    return expect(code, anonymous=anonymous)


def only(code, roles, others=403, anonymous=None):
    table = {role: (code if role in roles else others) for role in ROLES}
    if anonymous is not None:
        table["anonymous"] = anonymous
    return table


BALLOT_BODY = "ballot"
# name, method, url template, body, expected status per role
API_ROUTES = [
    ("process-list", "get", "/api/budget/processes/", None, expect(200)),
    ("process-detail", "get", "/api/budget/processes/{process}/", None, expect(200)),
    ("process-results", "get", "/api/budget/processes/{process}/results/", None, expect(200)),
    ("process-ballot", "get", "/api/budget/processes/{process}/ballot/", None, signed_in(404)),
    ("process-ballot", "post", "/api/budget/processes/{process}/ballot/", {}, signed_in(400)),
    (
        "process-turnout",
        "get",
        "/api/budget/processes/{process}/turnout/",
        None,
        only(200, (*STAFF, *AGENTS)),
    ),
    ("project-list", "get", "/api/budget/projects/", None, expect(200)),
    (
        "project-detail",
        "get",
        "/api/budget/projects/{idea}/",
        None,
        only(200, ("proposer", *STAFF), others=404),
    ),
    ("project-list", "post", "/api/budget/projects/", {}, signed_in(400)),
    (
        "project-timeline",
        "get",
        "/api/budget/projects/{idea}/timeline/",
        None,
        only(200, ("proposer", *STAFF), others=404),
    ),
    (
        "project-moderate",
        "post",
        "/api/budget/projects/{public}/moderate/",
        {"accept": True},
        only(409, STAFF),
    ),
    (
        "project-review",
        "post",
        "/api/budget/projects/{public}/review/",
        {"feasible": False, "reason": "No."},
        only(409, STAFF),
    ),
    (
        "project-merge",
        "post",
        "/api/budget/projects/{public}/merge/",
        {"into": "{other}"},
        only(409, STAFF),
    ),
    (
        "project-put-on-ballot",
        "post",
        "/api/budget/projects/{public}/put-on-ballot/",
        {},
        only(409, STAFF),
    ),
    (
        "project-outcome",
        "post",
        "/api/budget/projects/{public}/outcome/",
        {"selected": True},
        only(409, STAFF),
    ),
    (
        "project-messages",
        "post",
        "/api/budget/projects/{public}/messages/",
        {"body": "Hi"},
        only(201, STAFF),
    ),
    (
        "project-notes",
        "post",
        "/api/budget/projects/{public}/notes/",
        {"body": "Hi"},
        only(201, STAFF),
    ),
    (
        "project-milestones",
        "post",
        "/api/budget/projects/{public}/milestones/",
        {"title": "T"},
        only(409, STAFF),
    ),
    (
        "project-progress",
        "post",
        "/api/budget/projects/{public}/progress/",
        {"percent": 5},
        only(409, STAFF),
    ),
    (
        "milestone-complete",
        "post",
        "/api/budget/milestones/{milestone}/complete/",
        {"done_on": "2026-01-01"},
        only(409, STAFF),
    ),
    ("polling-place-list", "get", "/api/budget/polling-places/", None, signed_in(200)),
    (
        "polling-place-detail",
        "get",
        "/api/budget/polling-places/{place}/",
        None,
        only(200, ("agent", "superuser"), others=404, anonymous=403),
    ),
    ("paper-entry-list", "get", "/api/budget/paper-entries/", None, signed_in(200)),
    (
        "paper-entry-list",
        "post",
        "/api/budget/paper-entries/",
        "paper",
        only(201, ("agent", "superuser")),
    ),
    (
        "paper-entry-detail",
        "get",
        "/api/budget/paper-entries/{entry}/",
        None,
        only(200, ("agent", "superuser"), others=404, anonymous=403),
    ),
    (
        "paper-entry-confirm",
        "post",
        "/api/budget/paper-entries/{entry}/confirm/",
        BALLOT_BODY,
        only(200, ("agent", "superuser"), others=404, anonymous=403),
    ),
    (
        "paper-entry-cancel",
        "post",
        "/api/budget/paper-entries/{entry}/cancel/",
        {},
        only(200, ("agent", "superuser"), others=404, anonymous=403),
    ),
]

PAGE_ROUTES = [
    ("overview", "{page}", expect(200)),
    ("projects", "{page}projets/", expect(200)),
    ("project", "{page}projets/{idea}/", only(200, ("proposer", *STAFF), others=404)),
    ("public project", "{page}projets/{public}/", expect(200)),
    ("submit", "{page}proposer/", signed_in(200, anonymous=302)),
    ("vote", "{page}voter/", signed_in(200, anonymous=302)),
    ("turnout", "{page}participation/", only(200, (*STAFF, *AGENTS))),
    ("results", "{page}resultats/", expect(200)),
    ("implementation", "{page}realisation/", expect(200)),
    (
        "review",
        "/admin/budget/review/{idea}/",
        only(200, STAFF, others=404, anonymous=302) | {"resident": 302, "proposer": 302},
    ),
    (
        "paper",
        "/admin/budget/paper/",
        # Wagtail's admin turns a refusal into a redirect to its dashboard.
        only(200, ("agent", "other_agent", "superuser"), others=302),
    ),
    (
        "paper confirm",
        "/admin/budget/paper/{entry}/confirm/",
        only(200, ("agent", "superuser"), others=404, anonymous=302)
        | {"resident": 302, "proposer": 302},
    ),
    ("project listing", "/admin/civic_budget/project/", only(200, STAFF, others=302)),
    ("process listing", "/admin/civic_budget/process/", only(200, (*STAFF, *AGENTS), others=302)),
    ("zone listing", "/admin/civic_budget/zone/", only(200, ("superuser",), others=302)),
    (
        "polling place listing",
        "/admin/civic_budget/pollingplace/",
        only(200, ("superuser",), others=302),
    ),
]


@pytest.fixture
def world(city):
    process, zones, projects = city
    proposer = factories.UserFactory(username="proposer")
    idea = factories.ProjectFactory(
        zone=zones["north"], status=Project.SUBMITTED, proposer=proposer
    )
    place = factories.PollingPlaceFactory(process=process)
    other_place = factories.PollingPlaceFactory(process=process)
    entering_agent = factories.polling_agent(place, "agent-a1")
    public = projects[("Nord", 30)]
    voter = factories.declaration(zones["north"], first_name="Paper")
    entry = voting.enter_paper_ballot(entering_agent, place, voter, {public.pk: 1})
    users = {
        "anonymous": None,
        "resident": factories.UserFactory(username="resident"),
        "proposer": proposer,
        "reviewer": factories.reviewer(),
        "agent": factories.polling_agent(place, "agent-a2"),
        "other_agent": factories.polling_agent(other_place, "agent-b"),
        "superuser": get_user_model().objects.create_superuser("root", "root@example.org", "x"),
    }
    ballot = {
        "zone": zones["north"].pk,
        "first_name": "Paper",
        "last_name": "Durand",
        "birth_date": "1990-05-17",
        "resides_in_city": True,
        "choices": [{"project": public.pk, "points": 1}],
    }
    return {
        "users": users,
        "ids": {
            "process": process.pk,
            "idea": idea.pk,
            "public": public.pk,
            "other": projects[("Nord", 40)].pk,
            "place": place.pk,
            "entry": entry.pk,
            "milestone": Milestone.objects.create(project=public, title="M").pk,
            "page": add_budget_page(process).url,
        },
        "bodies": {
            "ballot": ballot,
            "paper": {**ballot, "first_name": "Other", "polling_place": place.pk},
        },
    }


def _fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {key: _fill(item, ids) for key, item in value.items()}
    return value


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "name, method, url, body, expected", API_ROUTES, ids=[f"{r[1]} {r[0]}" for r in API_ROUTES]
)
def test_api_route(world, role, name, method, url, body, expected):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    if isinstance(body, str):
        body = world["bodies"][body]
    data = _fill(body, world["ids"]) if body is not None else None
    response = getattr(client, method)(_fill(url, world["ids"]), data, format="json")
    assert response.status_code == expected[role], response.content[:300]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, url, expected", PAGE_ROUTES, ids=[r[0] for r in PAGE_ROUTES])
def test_page_route(world, client, role, name, url, expected):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.get(_fill(url, world["ids"]))
    assert response.status_code == expected[role]


def test_matrix_covers_every_api_route():
    names = {pattern.name for pattern in router.urls if pattern.name != "api-root"}
    covered = {
        f"{name.rsplit('-', 1)[0]}-list" if name.endswith("-detail") else name
        for name, *_ in API_ROUTES
    }
    covered |= {name for name, *_ in API_ROUTES}
    assert names <= covered, names - covered

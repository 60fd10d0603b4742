"""Every route of the plugin (API, public pages, member space) for every role, against the table
of docs/budget-permissions.md: the expected statuses are read from that table, a route the
resolver knows and the table lacks fails, and a refused write changes nothing."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient
from wagtail import hooks

from civic_budget import voting
from civic_budget.api.urls import router
from civic_budget.models import (
    Ballot,
    BudgetPage,
    IdentityContest,
    Milestone,
    PaperBallotEntry,
    Process,
    Project,
    ProjectEvent,
    VoterRegistration,
)
from tests.budget import factories
from tests.budget.conftest import add_budget_page

TABLE = Path(__file__).resolve().parents[2] / "docs" / "budget-permissions.md"
ROLES = ("anonymous", "resident", "proposer", "reviewer", "agent", "other_agent", "superuser")
ROW = re.compile(r"^\| `(?P<key>[A-Z]+ [^`]+)` \|(?P<cells>.*)\|\s*$")


def read_table():
    """{"METHOD kind name": {role: status}} from the documented table."""
    table = {}
    for line in TABLE.read_text().splitlines():
        match = ROW.match(line)
        if match:
            cells = [int(cell.strip()) for cell in match["cells"].split("|")]
            assert len(cells) == len(ROLES), line
            table[match["key"]] = dict(zip(ROLES, cells, strict=True))
    return table


EXPECTED = read_table()

BALLOT_BODY = "ballot"
# How each documented route is called: key -> (url template, body).
CALLS = {
    "GET api process-list": ("/api/budget/processes/", None),
    "GET api process-detail": ("/api/budget/processes/{process}/", None),
    "GET api process-results": ("/api/budget/processes/{process}/results/", None),
    "GET api process-pabulib": ("/api/budget/processes/{process}/pabulib/", None),
    "GET api process-ballot": ("/api/budget/processes/{process}/ballot/", None),
    "POST api process-ballot": ("/api/budget/processes/{process}/ballot/", {}),
    "GET api process-turnout": ("/api/budget/processes/{process}/turnout/", None),
    "GET api project-list": ("/api/budget/projects/", None),
    "POST api project-list": ("/api/budget/projects/", {}),
    "GET api project-detail": ("/api/budget/projects/{idea}/", None),
    "GET api project-timeline": ("/api/budget/projects/{idea}/timeline/", None),
    "POST api project-moderate": ("/api/budget/projects/{public}/moderate/", {"accept": True}),
    "POST api project-review": (
        "/api/budget/projects/{public}/review/",
        {"feasible": False, "reason": "No."},
    ),
    "POST api project-merge": ("/api/budget/projects/{public}/merge/", {"into": "{other}"}),
    "POST api project-put-on-ballot": ("/api/budget/projects/{public}/put-on-ballot/", {}),
    "POST api project-outcome": ("/api/budget/projects/{public}/outcome/", {"selected": True}),
    "POST api project-messages": ("/api/budget/projects/{public}/messages/", {"body": "Hi"}),
    "POST api project-notes": ("/api/budget/projects/{public}/notes/", {"body": "Hi"}),
    "POST api project-milestones": ("/api/budget/projects/{public}/milestones/", {"title": "T"}),
    "POST api project-progress": ("/api/budget/projects/{public}/progress/", {"percent": 5}),
    "POST api milestone-complete": (
        "/api/budget/milestones/{milestone}/complete/",
        {"done_on": "2026-01-01"},
    ),
    "GET api polling-place-list": ("/api/budget/polling-places/", None),
    "GET api polling-place-detail": ("/api/budget/polling-places/{place}/", None),
    "GET api paper-entry-list": ("/api/budget/paper-entries/", None),
    "POST api paper-entry-list": ("/api/budget/paper-entries/", "paper"),
    "GET api paper-entry-detail": ("/api/budget/paper-entries/{entry}/", None),
    "POST api paper-entry-confirm": ("/api/budget/paper-entries/{entry}/confirm/", BALLOT_BODY),
    "POST api paper-entry-cancel": ("/api/budget/paper-entries/{entry}/cancel/", {}),
    "GET page overview": ("{page}", None),
    "GET page projects": ("{page}projets/", None),
    "GET page project (idea)": ("{page}projets/{idea}/", None),
    "GET page project (public)": ("{page}projets/{public}/", None),
    "GET page submit": ("{page}proposer/", None),
    "GET page vote": ("{page}voter/", None),
    "GET page turnout": ("{page}participation/", None),
    "GET page results": ("{page}resultats/", None),
    "GET page implementation": ("{page}realisation/", None),
    "GET admin civic_budget_review": ("/admin/budget/review/{idea}/", None),
    "POST admin civic_budget_review": (
        "/admin/budget/review/{idea}/",
        {"action": "moderate", "moderate-accept": "accept"},
    ),
    "GET admin civic_budget_paper": ("/admin/budget/paper/", None),
    "GET admin civic_budget_paper_confirm": ("/admin/budget/paper/{entry}/confirm/", None),
    "GET admin civic_budget_contest": ("/admin/budget/contests/{contest}/", None),
    "POST admin civic_budget_contest": (
        "/admin/budget/contests/{contest}/",
        {"decision": "dismiss", "note": "Checked."},
    ),
    "GET admin civic_budget_export_pabulib": ("/admin/budget/processes/{process}/pabulib/", None),
}
# The listings of wagtail-modeladmin: model -> the world's id of one of its rows.
MODELADMIN = {
    "project": "public",
    "process": "process",
    "zone": "zone",
    "pollingplace": "place",
    "identitycontest": "contest",
}
for model, key in MODELADMIN.items():
    CALLS[f"GET admin civic_budget_{model}_modeladmin_index"] = (
        f"/admin/civic_budget/{model}/",
        None,
    )
    CALLS[f"GET admin civic_budget_{model}_modeladmin_create"] = (
        f"/admin/civic_budget/{model}/create/",
        None,
    )
    # Only the project listing has an inspect view.
    for view in ("edit", "delete", "inspect") if model == "project" else ("edit", "delete"):
        CALLS[f"GET admin civic_budget_{model}_modeladmin_{view}"] = (
            f"/admin/civic_budget/{model}/{view}/{{{key}}}/",
            None,
        )


def documented_routes():
    """Every route of the plugin the resolvers know, as keys of the table."""
    keys = set()
    for pattern in router.urls:
        if pattern.name == "api-root" or not hasattr(pattern.callback, "actions"):
            continue
        for method in pattern.callback.actions:
            if method != "head":  # answered as GET
                keys.add(f"{method.upper()} api {pattern.name}")
    for pattern in BudgetPage.get_subpage_urls():
        # index_route is Wagtail's alias of the page itself (the overview).
        if pattern.name == "index_route":
            continue
        if pattern.name == "project":
            keys |= {"GET page project (idea)", "GET page project (public)"}
        else:
            keys.add(f"GET page {pattern.name}")
    for register in hooks.get_hooks("register_admin_urls"):
        for pattern in register():
            for name in _names(pattern):
                if name.startswith("civic_budget_"):
                    keys.add(f"GET admin {name}")
    return keys


def _names(pattern):
    if hasattr(pattern, "url_patterns"):
        return [name for inner in pattern.url_patterns for name in _names(inner)]
    return [pattern.name] if pattern.name else []


def state():
    """What a refused write must leave as it was."""
    return (
        list(Project.objects.order_by("pk").values_list("pk", "status", "public_reason")),
        ProjectEvent.objects.count(),
        list(Milestone.objects.order_by("pk").values_list("pk", "done_on")),
        list(PaperBallotEntry.objects.order_by("pk").values_list("pk", "status", "mismatches")),
        list(IdentityContest.objects.order_by("pk").values_list("pk", "status")),
        Ballot.objects.count(),
        VoterRegistration.objects.count(),
        Process.objects.count(),
    )


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
    contest = IdentityContest.objects.create(process=process, claimant=users["resident"])
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
            "zone": zones["north"].pk,
            "contest": contest.pk,
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
@pytest.mark.parametrize("key", sorted(CALLS))
def test_route_for_role(world, role, key):
    url, body = CALLS[key]
    method = key.split(" ", 1)[0].lower()
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    if isinstance(body, str):
        body = world["bodies"][body]
    data = _fill(body, world["ids"]) if body is not None else None
    before = state()
    if key.startswith("POST admin"):
        response = client.post(_fill(url, world["ids"]), data)
    else:
        response = getattr(client, method)(_fill(url, world["ids"]), data, format="json")
    assert key in EXPECTED, f"{key} is missing from {TABLE.name}"
    assert response.status_code == EXPECTED[key][role], response.content[:300]
    refused = response.status_code >= 400 or (key.startswith("POST admin") and role in REFUSED)
    if method == "post" and refused:
        assert state() == before


# Who is refused the member space's writes (the admin answers a refusal with a redirect).
REFUSED = ("anonymous", "resident", "proposer", "agent", "other_agent")


def test_the_table_lists_every_route_and_nothing_else():
    known = documented_routes()
    assert known <= set(EXPECTED), f"missing from {TABLE.name}: {sorted(known - set(EXPECTED))}"
    # A member-space view answers GET and POST under one URL name.
    listed = {key.replace("POST admin", "GET admin") for key in EXPECTED}
    assert listed <= known, f"no such route: {sorted(listed - known)}"
    assert set(EXPECTED) == set(CALLS), set(EXPECTED) ^ set(CALLS)

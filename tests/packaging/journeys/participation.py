# The participation circuit in another city's own Wagtail project, over HTTP: the coordinator
# sets up a council and a city service in the admin; a council référent (a membership, no
# group ticked by hand) submits a request through the API; the coordinator routes and
# acknowledges it; an agent of the service (picked in the service's Staff field) answers; the
# public page and the public API show the answer. Anonymous visitors of the member space are
# sent to a login page that exists (no /accounts/ in this project).
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from journey_helpers import add_page, client, expect, visit

from civic_participation.models import (
    CityService,
    Council,
    CouncilMembership,
    ParticipationIndexPage,
    Request,
)

STYLESHEET = "civic_participation/participation.css"
PASSWORD = "a long city password 2026"
User = get_user_model()


def person(username, *groups):
    """An account, as the Wagtail admin's Users page creates it."""
    user = User.objects.create_user(username, f"{username}@city.example", PASSWORD)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def signed_in(username):
    """A browser that signed in through the login page anonymous visitors are sent to."""
    http = client()
    member_space = reverse("civic_participation_request_modeladmin_index")
    response = http.get(member_space)
    expect(response.status_code == 302, "the member space asks anonymous visitors to sign in")
    login_url = response["Location"]
    expect("/accounts/" not in login_url, f"login redirect {login_url}")
    expect(http.get(login_url).status_code == 200, f"the login page {login_url} answers")
    response = http.post(
        login_url, {"username": username, "password": PASSWORD, "next": member_space}
    )
    expect(response.status_code == 302, f"{username} signs in", response)
    expect(http.get(member_space).status_code == 200, f"{username} opens the member space")
    return http


def post(http, url, data, status=None):
    response = http.post(url, data, content_type="application/json")
    expect(response.status_code in (status or (200, 201)), f"POST {url}", response)
    return response.json()


def admin_form(http, name, data):
    """Submit a create form of the member space, as the coordinator does in the admin."""
    url = reverse(f"civic_participation_{name}_modeladmin_create")
    expect(http.get(url).status_code == 200, f"GET {url}")
    response = http.post(url, data)
    expect(response.status_code == 302, f"POST {url}", response)


coordinator = person("coordinator", "Coordinators")
referent = person("referent")
agent = person("agent")

# The coordinator sets up the directory in the admin.
admin = signed_in("coordinator")
admin_form(
    admin,
    "council",
    {"name": "North district council", "slug": "north", "kind": "participatory", "is_active": "on"},
)
council = Council.objects.get(slug="north")
admin_form(
    admin,
    "councilmembership",
    {"council": council.pk, "user": referent.pk, "role": "referent", "joined_on": "2026-01-05"},
)
admin_form(
    admin,
    "cityservice",
    {"name": "Roads", "slug": "roads", "contact_email": "roads@city.example", "staff": [agent.pk]},
)
service = CityService.objects.get(slug="roads")
expect(CouncilMembership.objects.filter(user=referent, council=council).exists(), "seat")

page = add_page(ParticipationIndexPage(title="Participation", slug="participation"))

# The référent, a member by their seat alone, drafts and submits a request.
council_side = signed_in("referent")
draft = post(
    council_side,
    "/api/participation/requests/",
    {"council": council.pk, "title": "Benches on Peace Square", "description": "Elders need rest."},
)
expect("submit" in [a["name"] for a in draft["actions"]], f"the référent may submit: {draft}")
pk = draft["id"]
post(council_side, f"/api/participation/requests/{pk}/transitions/submit/", {})

# The coordinator routes it to the service and acknowledges it.
routed = post(
    admin, f"/api/participation/requests/{pk}/transitions/acknowledge/", {"service": service.pk}
)
expect(routed["state"] == "acknowledged", f"acknowledged: {routed}")

# The agent picked in the service's Staff field answers.
city_side = signed_in("agent")
mine = city_side.get("/api/participation/requests/").json()
expect([row["id"] for row in mine["results"]] == [pk], f"the agent's inbox: {mine}")
post(city_side, f"/api/participation/requests/{pk}/transitions/start-review/", {})
answer = "Three benches will be installed in May."
answered = post(
    city_side,
    f"/api/participation/requests/{pk}/transitions/answer/",
    {"outcome": "accepted", "message": answer},
)
expect(answered["state"] == Request.objects.get(pk=pk).state == "answered", f"{answered}")

# Residents read it on the public pages (this site's language: English slugs) and the API.
resident = client()
index = visit(resident, page.url, STYLESHEET)
detail_url = page.url + page.reverse_subpage("request", args=[pk])
expect(detail_url.endswith(f"/requests/{pk}/"), f"English route {detail_url}")
expect(re.search(rf'href="{re.escape(detail_url)}"', index), "the index links the request")
expect(answer in visit(resident, detail_url, STYLESHEET), "the answer on the public page")
for route in ("councils", "statistics"):
    visit(resident, page.url + page.reverse_subpage(route), STYLESHEET)
visit(resident, page.url + page.reverse_subpage("council", args=["north"]), STYLESHEET)
public = resident.get("/api/participation/public/requests/")
expect(public.status_code == 200, "public requests", public)
rows = public.json()["results"]
expect([(row["id"], row["state"]) for row in rows] == [(pk, "answered")], f"public API: {rows}")
detail = resident.get(f"/api/participation/public/requests/{pk}/")
expect(answer in detail.content.decode(), "the answer in the public API", detail)
print("JOURNEY OK")

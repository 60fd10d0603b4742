# The participatory budget in another city's `wagtail start` site, installed by the README alone:
# a resident proposes an idea, a reviewer makes it feasible and puts it on the ballot, residents
# vote online, the vote closes, the count runs as the task cluster runs it, and everyone reads
# the results and a project's timeline, over HTTP. Time moves as an editor moves it: by editing
# the process dates.
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django_q.models import OrmQ, Schedule
from django_q.tasks import async_task, fetch
from journey_helpers import add_page, client, expect, visit

from civic_budget.models import BudgetPage, Process, Project, Zone

STYLESHEET = "civic_budget/budget.css"
API = "/api/budget"
DAY = timedelta(days=1)
PASSWORD = "journey-pass-4815"
User = get_user_model()


def set_phase(process, phase):
    """Move the process dates so that now falls in ``phase``, as an editor would in the admin."""
    offsets = {"ideas": 1, "review": 31, "vote": 61, "counting": 91, "results": 101}
    start = timezone.now() - offsets[phase] * DAY
    process.ideas_open = start
    process.review_open = start + 30 * DAY
    process.vote_open = start + 60 * DAY
    process.vote_close = start + 90 * DAY
    process.results_published = start + 100 * DAY
    process.implementation_start = start + 200 * DAY
    process.full_clean()
    process.save()
    expect(process.phase() == phase, f"phase {phase}")


def sign_in(http, url, username):
    """Follow the page's redirect to the login form, sign in there, and come back."""
    response = http.get(url)
    expect(response.status_code == 302, f"anonymous GET {url} redirects to a login", response)
    login = response["Location"]
    expect("/accounts/" not in login, f"{url} redirects to a served login page, not {login}")
    login_path = urlsplit(login).path
    expect(parse_qs(urlsplit(login).query).get("next") == [url], f"next= in {login}")
    form = http.get(login)
    expect(form.status_code == 200, f"GET {login}", form)
    done = http.post(
        login_path, {"username": username, "password": PASSWORD, "next": url}, follow=False
    )
    expect(done.status_code == 302 and done["Location"] == url, f"sign in at {login}", done)
    return visit(http, url, STYLESHEET)


process = Process.objects.create(
    title="Budget 2027",
    slug="budget-2027",
    total_budget_cents=300_000_00,
    minimum_age=16,
    age_reference_date=date(2027, 1, 1),
    ideas_open=timezone.now(),
    review_open=timezone.now() + DAY,
    vote_open=timezone.now() + 2 * DAY,
    vote_close=timezone.now() + 3 * DAY,
    results_published=timezone.now() + 4 * DAY,
    implementation_start=timezone.now() + 5 * DAY,
)
set_phase(process, "ideas")
town = Zone.objects.create(
    process=process,
    name="Whole town",
    kind=Zone.CITYWIDE,
    budget_cents=200_000_00,
    population=20_000,
)
harbour = Zone.objects.create(
    process=process,
    name="Harbour",
    kind=Zone.DISTRICT,
    budget_cents=100_000_00,
    population=5_000,
)
page = add_page(BudgetPage(title="Participatory budget", slug="budget", process=process))
sub = lambda name, *args: page.url + page.reverse_subpage(name, args=args)  # noqa: E731

resident = User.objects.create_user("robin", "robin@example.org", PASSWORD)
reviewer = User.objects.create_user("sam", "sam@example.org", PASSWORD)
reviewer.groups.add(Group.objects.get(name="Budget reviewers"))

# A resident reads the process and proposes an idea (signing in through the site's login).
anonymous = client()
html = visit(anonymous, page.url, STYLESHEET)
expect(sub("submit") in html, "the overview links the idea form")
processes = anonymous.get(f"{API}/processes/")
expect(processes.status_code == 200 and processes.json()["count"] == 1, "processes", processes)

robin = client()
sign_in(robin, sub("submit"), "robin")
sent = robin.post(
    sub("submit"),
    {
        "zone": town.pk,
        "title": "Trees along the quay",
        "description": "Shade for the walk to the market.",
        "estimated_cost": "45000",
        "location": "Quay",
    },
)
expect(sent.status_code == 302, "the idea is received", sent)
idea = Project.objects.get(title="Trees along the quay")
expect(sent["Location"] == sub("project", idea.pk), "redirect to the idea's page", sent)
visit(robin, sub("project", idea.pk), STYLESHEET)
# Other projects, already through the review, to compare with.
other = Project.objects.create(
    process=process,
    zone=harbour,
    title="Harbour benches",
    description="Benches.",
    estimated_cost_cents=20_000_00,
    status=Project.FEASIBLE,
)

# A reviewer moderates the idea, finds it feasible and puts it on the ballot, over the API.
sam = client()
sam.force_login(reviewer)
moderated = sam.post(
    f"{API}/projects/{idea.pk}/moderate/", {"accept": True}, content_type="application/json"
)
expect(moderated.status_code == 200, "moderate", moderated)
set_phase(process, "review")
reviewed = sam.post(
    f"{API}/projects/{idea.pk}/review/",
    {"feasible": True, "reviewed_cost_cents": 40_000_00},
    content_type="application/json",
)
expect(reviewed.status_code == 200 and reviewed.json()["status"] == "feasible", "review", reviewed)
for project in (idea, other):
    on_ballot = sam.post(f"{API}/projects/{project.pk}/put-on-ballot/")
    expect(on_ballot.status_code == 200, "put on the ballot", on_ballot)
expect(
    sam.get(f"{API}/projects/{idea.pk}/").json()["status"] == "on_ballot",
    "the idea is on the ballot",
)

# Residents vote online.
set_phase(process, "vote")
html = visit(robin, sub("vote"), STYLESHEET)
expect(re.search(r'src="[^"]*civic_budget/ballot\.js"', html), "ballot.js on the ballot page")
voted = robin.post(
    sub("vote"),
    {
        "zone": harbour.pk,
        "first_name": "Robin",
        "last_name": "Durand",
        "birth_date": "1990-05-17",
        "resides_in_city": "on",
        f"project_{idea.pk}": "on",
        f"project_{other.pk}": "on",
    },
)
expect(voted.status_code == 200 and "ballot-choices" in voted.content.decode(), "voted", voted)
ballot = robin.get(f"{API}/processes/{process.pk}/ballot/")
expect(ballot.status_code == 200, "the voter reads their ballot", ballot)

# The vote closes; the count runs as the cluster runs its schedule.
set_phase(process, "counting")
schedule = Schedule.objects.get(name="civic_budget: count closed votes")
task_id = async_task(schedule.func, sync=True)
task = fetch(task_id)
expect(task is not None and task.success, f"the count task ran: {task and task.result}")
# The schedule queued one count per zone on the broker; the cluster's workers run them.
queued = list(OrmQ.objects.all())
expect(queued, "the schedule queued the zones' counts")
for package in queued:
    zone_task = fetch(async_task(package.task["func"], *package.task["args"], sync=True))
    expect(zone_task.success, f"the zone count ran: {zone_task.result}")
    package.delete()
process.refresh_from_db()
expect(process.frozen_ballots_hash, "the ballots are frozen and counted")
# While counted, results and outcomes wait for their publication.
results = anonymous.get(f"{API}/processes/{process.pk}/results/")
expect(results.status_code == 200 and results.json()["count"] == 0, "no results yet", results)
expect(
    anonymous.get(f"{API}/projects/{idea.pk}/").json()["status"] == "on_ballot",
    "the outcome waits for the publication",
)

# The results are published: over HTTP, the results, the timeline and the pages.
set_phase(process, "results")
results = anonymous.get(f"{API}/processes/{process.pk}/results/")
expect(results.status_code == 200 and results.json()["count"] == 2, "results", results)
winners = {str(pk) for zone in results.json()["results"] for pk in zone["winners"]}
expect(str(idea.pk) in winners and str(other.pk) in winners, f"winners {winners}")
timeline = anonymous.get(f"{API}/projects/{idea.pk}/timeline/")
expect(timeline.status_code == 200, "timeline", timeline)
kinds = [event["kind"] for event in timeline.json()["results"]]
expect(kinds[0] == "submitted" and "on_ballot" in kinds and kinds[-1] == "outcome", f"{kinds}")
expect(anonymous.get(f"{API}/projects/{idea.pk}/").json()["status"] == "selected", "selected")
html = visit(anonymous, sub("results"), STYLESHEET)
expect("Trees along the quay" in html, "the results page lists the idea")
visit(anonymous, sub("project", idea.pk), STYLESHEET)
visit(anonymous, sub("implementation"), STYLESHEET)

# The filters of the projects list, on the API and on the page.
listed = anonymous.get(f"{API}/projects/", {"zone": harbour.pk}).json()
expect([p["title"] for p in listed["results"]] == ["Harbour benches"], f"?zone= {listed}")
found = anonymous.get(f"{API}/projects/", {"q": "quay"}).json()
expect([p["title"] for p in found["results"]] == ["Trees along the quay"], f"?q= {found}")
selected = anonymous.get(f"{API}/projects/", {"status": "selected"}).json()
expect(selected["count"] == 2, f"?status= {selected}")
html = visit(anonymous, sub("projects") + f"?zone={harbour.pk}", STYLESHEET)
expect("Harbour benches" in html and "Trees along the quay" not in html, "page ?zone=")
html = visit(anonymous, sub("projects") + "?q=quay", STYLESHEET)
expect("Trees along the quay" in html and "Harbour benches" not in html, "page ?q=")
print("JOURNEY OK")

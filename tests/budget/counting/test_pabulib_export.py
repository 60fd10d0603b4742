"""A counted process exported as pabulib files and counted again from them."""

import zipfile
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_q.models import Task
from rest_framework.test import APIClient

from civic_budget import pabulib, pabulib_export, results, tasks
from civic_budget.counting import count
from civic_budget.models import BallotChoice, Process, ZoneResult
from tests.budget import factories
from tests.budget.test_results import vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(city):
    process, zones, projects = city
    picks = [
        [("Nord", 50), ("Nord", 40)],
        [("Nord", 50), ("Nord", 40)],
        [("Nord", 50)],
        [("Nord", 30), ("Toute la ville", 100)],
        [("Nord", 40)],
    ]
    for number, chosen in enumerate(picks):
        vote(process, zones, projects, number, "north", chosen)
    vote(process, zones, projects, 9, "south", [("Sud", 30)])
    process.vote_close = timezone.now()
    process.tie_break_seed = "Tirage public"
    process.tie_cost_order = "descending"
    process.save()
    results.count_process(process)
    return process


def test_export_recounts_to_the_stored_hash_and_winners(counted):
    files = pabulib_export.process_files(counted)
    stored = {result.zone.name: result for result in ZoneResult.objects.filter(process=counted)}
    assert len(files) == len(stored) >= 2
    for text in files.values():
        pb = pabulib.parse(text)
        assert "voter_id" in pb.vote_columns and len(pb.vote_columns) == 2  # nothing else
        assert [row["voter_id"] for row in pb.votes] == [
            str(n) for n in range(1, len(pb.votes) + 1)
        ]
        result = next(r for r in stored.values() if r.input_hash == pb.meta["civic_input_hash"])
        election = pabulib.to_election(pb)
        arguments = pabulib_export.recount_arguments(pb)
        assert arguments["cost_order"] == "descending" and arguments["seed"] == "Tirage public"
        fresh = count(election, **arguments)
        assert fresh.input_hash == result.input_hash
        assert fresh.winners == result.winners
        assert sorted(pb.selected_projects()) == sorted(result.winners)
    with zipfile.ZipFile(BytesIO(pabulib_export.process_zip(counted))) as archive:
        assert sorted(archive.namelist()) == sorted(files)


def test_export_command(counted, tmp_path):
    out = StringIO()
    call_command("budget_export_pb", counted.slug, str(tmp_path / "out"), stdout=out)
    written = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert written == sorted(pabulib_export.process_files(counted))
    with pytest.raises(CommandError, match="no process"):
        call_command("budget_export_pb", "nope", str(tmp_path))


def test_a_process_not_counted_has_nothing_to_export(city, tmp_path):
    process, _zones, _projects = city
    with pytest.raises(CommandError, match="not been counted"):
        call_command("budget_export_pb", process.slug, str(tmp_path))


def test_a_file_from_elsewhere_is_not_an_export():
    pb = pabulib.parse(
        "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n1;1\n"
    )
    with pytest.raises(pabulib.PabulibError, match="not an export of this site"):
        pabulib_export.recount_arguments(pb)


def test_the_schedule_freezes_then_counts_each_zone_in_its_own_task(city):
    process, zones, projects = city
    vote(process, zones, projects, 1, "north", [("Nord", 50)])
    vote(process, zones, projects, 2, "south", [("Sud", 30)])
    Process.objects.filter(pk=process.pk).update(vote_close=timezone.now())
    assert tasks.count_closed_processes() == [process.pk]
    process.refresh_from_db()
    counted = ZoneResult.objects.filter(process=process)
    assert counted.count() >= 2
    # django-q ran one task per zone (synchronously in the tests).
    assert (
        Task.objects.filter(func="civic_budget.tasks.count_zone").count() == process.zones.count()
    )
    # A zone counted again is left alone; ballots changed after freezing stop the count.
    assert results.count_zone(process, zones["north"]) is None
    counted.filter(zone=zones["south"]).delete()
    BallotChoice.objects.filter(ballot__process=process, project__zone=zones["south"]).delete()
    with pytest.raises(results.BudgetError, match="changed after they were frozen"):
        results.count_zone(process, zones["south"])


def test_staff_download_the_export_from_the_api_and_the_member_space(counted, client):
    api = APIClient()
    url = f"/api/budget/processes/{counted.pk}/pabulib/"
    assert api.get(url).status_code in (401, 403)
    api.force_authenticate(factories.UserFactory(username="resident"))
    assert api.get(url).status_code == 403
    staff = factories.reviewer()
    api.force_authenticate(staff)
    response = api.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response.content.startswith(b"PK")
    client.force_login(staff)
    listing = client.get("/admin/civic_budget/process/").content.decode()
    admin_url = f"/admin/budget/processes/{counted.pk}/pabulib/"
    assert admin_url in listing
    downloaded = client.get(admin_url)
    assert downloaded.status_code == 200
    with zipfile.ZipFile(BytesIO(downloaded.content)) as archive:
        assert sorted(archive.namelist()) == sorted(pabulib_export.process_files(counted))


def test_a_process_not_counted_cannot_be_exported_by_the_api(city):
    process, _zones, _projects = city
    api = APIClient()
    api.force_authenticate(factories.reviewer())
    response = api.get(f"/api/budget/processes/{process.pk}/pabulib/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"

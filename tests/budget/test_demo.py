"""The demo command builds a full edition, once."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from civic_budget import turnout
from civic_budget.models import Process, Project

pytestmark = pytest.mark.django_db


def call_demo(**options):
    # The tests run with DEBUG off, as production does: the demo must be asked for explicitly.
    call_command(
        "load_demo_budget", allow_production=True, stdout=open("/dev/null", "w"), **options
    )


@override_settings(DEBUG=False)
def test_the_demo_refuses_a_production_site():
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("load_demo_budget", voters=10, stdout=open("/dev/null", "w"))
    assert not Process.objects.exists()


@override_settings(DEBUG=True)
def test_the_demo_runs_on_a_development_site():
    call_command("load_demo_budget", voters=20, stdout=open("/dev/null", "w"))
    assert Process.objects.filter(slug="budget-participatif-2025").exists()


def test_demo_edition_has_every_status_and_a_mulhouse_turnout():
    call_demo(voters=400)
    process = Process.objects.get(slug="budget-participatif-2025")
    statuses = set(Project.objects.values_list("status", flat=True))
    assert statuses == {value for value, _label in Project.STATUS_CHOICES}
    assert process.ballots.count() == 400
    citywide = next(z for z in turnout.compute_turnout(process) if z.kind == "citywide")
    assert citywide.population == 110_000
    assert set(citywide.by_method) == {"online", "paper"}
    assert process.pages.count() == 1
    process.refresh_from_db()
    assert process.frozen_at is not None and process.results.count() == 6
    assert process.results.get(zone__kind="citywide").ballots_hash == process.frozen_ballots_hash
    call_demo()
    assert Process.objects.count() == 2 and process.ballots.count() == 400
    assert Process.objects.get(slug="budget-participatif-2026").phase() == "vote"


def test_default_demo_turnout_is_about_two_and_a_half_percent():
    call_demo()
    citywide = next(
        z
        for z in turnout.compute_turnout(Process.objects.get(slug="budget-participatif-2025"))
        if z.kind == "citywide"
    )
    assert citywide.voters == 2_800 and 2.4 < citywide.rate_percent < 2.6


def test_a_whole_process_can_be_deleted_but_not_a_zone_with_projects():
    from django.db.models import RestrictedError

    from civic_budget.models import Ballot, Zone

    call_demo(voters=50)
    process = Process.objects.get(slug="budget-participatif-2025")
    with pytest.raises(RestrictedError):
        Zone.objects.filter(process=process).first().delete()
    process.pages.all().delete()
    process.delete()
    assert not Ballot.objects.filter(process_id=process.pk).exists()

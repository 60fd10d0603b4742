"""Factories of the budget tests."""

from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from civic_budget import ballot_rules, phases
from civic_budget.adapter import Declaration
from civic_budget.models import PollingPlace, Process, Project, Zone
from civic_budget.roles import assign_polling_place

DAY = timedelta(days=1)

# Offsets (in days from now) of each phase start, so that "now" falls in the wanted phase.
PHASE_OFFSETS = {
    phases.UPCOMING: 1,
    phases.IDEAS: -1,
    phases.REVIEW: -31,
    phases.VOTE: -61,
    phases.COUNTING: -91,
    phases.RESULTS: -101,
    phases.IMPLEMENTATION: -201,
}


def schedule_for(phase):
    start = timezone.now() + PHASE_OFFSETS[phase] * DAY
    return {
        "ideas_open": start,
        "review_open": start + 30 * DAY,
        "vote_open": start + 60 * DAY,
        "vote_close": start + 90 * DAY,
        "results_published": start + 100 * DAY,
        "implementation_start": start + 200 * DAY,
    }


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"resident{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("secret-pass-123")


def reviewer(username="reviewer"):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name="Budget reviewers"))
    return user


def polling_agent(place, username):
    user = UserFactory(username=username)
    assign_polling_place(user, place)
    return user


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process

    class Params:
        phase = phases.VOTE

    title = factory.Sequence(lambda n: f"Budget {n}")
    slug = factory.Sequence(lambda n: f"budget-{n}")
    total_budget_cents = 300_000_00
    minimum_age = 16
    age_reference_date = date(2026, 1, 1)
    ideas_open = factory.LazyAttribute(lambda o: schedule_for(o.phase)["ideas_open"])
    review_open = factory.LazyAttribute(lambda o: schedule_for(o.phase)["review_open"])
    vote_open = factory.LazyAttribute(lambda o: schedule_for(o.phase)["vote_open"])
    vote_close = factory.LazyAttribute(lambda o: schedule_for(o.phase)["vote_close"])
    results_published = factory.LazyAttribute(lambda o: schedule_for(o.phase)["results_published"])
    implementation_start = factory.LazyAttribute(
        lambda o: schedule_for(o.phase)["implementation_start"]
    )


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    process = factory.SubFactory(ProcessFactory)
    name = factory.Sequence(lambda n: f"District {n}")
    kind = Zone.DISTRICT
    budget_cents = 100_000_00
    population = 10_000
    ballot_rule = ballot_rules.APPROVAL_BUDGET


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    process = factory.LazyAttribute(lambda project: project.zone.process)
    zone = factory.SubFactory(ZoneFactory)
    title = factory.Sequence(lambda n: f"Project {n}")
    description = "A bench, some trees and a drinking fountain."
    location = "Parc Salvator"
    estimated_cost_cents = 30_000_00
    status = Project.ON_BALLOT


class PollingPlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PollingPlace

    process = factory.SubFactory(ProcessFactory)
    name = factory.Sequence(lambda n: f"Mairie annexe {n}")


def declaration(zone, first_name="Camille", last_name="Durand", birth=date(1990, 5, 17), **kw):
    return Declaration(
        first_name=first_name,
        last_name=last_name,
        birth_date=birth,
        zone_id=zone.pk,
        resides_in_city=kw.get("resides_in_city", True),
    )


def city(phase=phases.VOTE):
    """A process with a city-wide zone and two districts, each with three projects on the
    ballot costing 30k, 40k and 50k EUR (city-wide: 100k, 150k, 200k), budgets 100k / 300k."""
    process = ProcessFactory(phase=phase)
    citywide = ZoneFactory(
        process=process,
        name="Toute la ville",
        kind=Zone.CITYWIDE,
        budget_cents=300_000_00,
        population=110_000,
    )
    north = ZoneFactory(process=process, name="Nord", population=40_000)
    south = ZoneFactory(process=process, name="Sud", population=70_000)
    projects = {}
    for zone, costs in ((citywide, (100, 150, 200)), (north, (30, 40, 50)), (south, (30, 40, 50))):
        for cost in costs:
            projects[(zone.name, cost)] = ProjectFactory(
                zone=zone, title=f"{zone.name} {cost}k", estimated_cost_cents=cost * 1000_00
            )
    return process, {"citywide": citywide, "north": north, "south": south}, projects

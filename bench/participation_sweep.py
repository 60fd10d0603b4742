"""The reminder sweep over 10,000 and 100,000 open items on PostgreSQL, in one run.

    .venv/bin/python bench/participation_sweep.py [--sizes 10000 100000]

It creates a throw-away database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/civic_bench_sweep), migrates it, and creates a city of 10
services (2 agents and a manager each), 20 councils (one référent each), a coordinator and an
elected official. For each size it empties the items, bulk-inserts that many open requests with
realistic deadlines (city side: acknowledgement and answer due from 30 days ago to 20 days
ahead; a tenth council side: confirmation), runs ANALYZE, then times on a Wednesday at 10:00
Paris:

- the first sweep, which records every rung reached, lists recipients and logs timeline
  events, then e-mails each person once (locmem backend);
- a second sweep right after (the steady state: nothing new to record);
- the baseline: reading every open deadline's id and due date once.

It prints, per size, seconds and query counts, and the 100,000 / 10,000 ratios.
"""

import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import _postgres

ROOT = Path(__file__).resolve().parent.parent
PYTHONPATHS = [ROOT / "site", *sorted((ROOT / "plugins").iterdir()), ROOT]
SWEEP_AT = datetime(2026, 3, 18, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
SERVICES, AGENTS_PER_SERVICE, COUNCILS = 10, 2, 20


def setup_django(url):
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DEBUG": "0",
            "SECRET_KEY": "bench-secret-key",
            "ALLOWED_HOSTS": "localhost",
            "EMAIL_URL": "locmem://",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "civic_site.settings",
        }
    )
    sys.path[:0] = [str(path) for path in PYTHONPATHS]
    _postgres.recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    print("Migrating the benchmark database…", flush=True)
    call_command("migrate", verbosity=0)


def build_city():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from civic_participation.models import (
        CityService,
        Council,
        CouncilMembership,
        ServiceMembership,
    )

    users = get_user_model().objects

    def person(username, group):
        user = users.create_user(username, f"{username}@bench.invalid", "pw")
        user.groups.add(Group.objects.get(name=group))
        return user

    services = []
    for index in range(SERVICES):
        service = CityService.objects.create(name=f"Service {index}", slug=f"service-{index}")
        for agent in range(AGENTS_PER_SERVICE):
            ServiceMembership.objects.create(
                service=service, user=person(f"agent-{index}-{agent}", "City agents")
            )
        ServiceMembership.objects.create(
            service=service,
            user=person(f"manager-{index}", "Service managers"),
            role=ServiceMembership.Role.MANAGER,
        )
        services.append(service)
    councils = []
    for index in range(COUNCILS):
        council = Council.objects.create(name=f"Conseil {index}", slug=f"conseil-{index}")
        CouncilMembership.objects.create(
            council=council,
            user=person(f"referent-{index}", "Council référents"),
            role=CouncilMembership.Role.REFERENT,
        )
        councils.append(council)
    person("coordinator", "Coordinators")
    person("elected", "Elected officials")
    return services, councils


def empty_items():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE civic_participation_reminderdelivery, civic_participation_reminderemail, "
            "civic_participation_reminder, civic_participation_deadline, "
            "civic_participation_timelineevent, civic_participation_request CASCADE"
        )


def insert_items(size, services, councils, rng):
    """`size` open requests, each racing one deadline, in bulk."""
    from django.db import connection

    from civic_participation.models import Counting, Deadline, DeadlineKind, Request

    today = SWEEP_AT.date()
    requests = []
    for index in range(size):
        council_side = index % 10 == 0
        state = (
            Request.State.DONE
            if council_side
            else rng.choice([Request.State.SUBMITTED, Request.State.IN_REVIEW])
        )
        requests.append(
            Request(
                title=f"Demande {index}",
                description="Banc, trottoir, éclairage.",
                council=rng.choice(councils),
                service=rng.choice(services),
                state=state,
                received_on=today - timedelta(days=40),
            )
        )
    Request.objects.bulk_create(requests, batch_size=5000)
    deadlines = []
    for item in requests:
        due = today + timedelta(days=rng.randint(-30, 20))
        if item.state == Request.State.DONE:
            kind, side, counting, days = (
                DeadlineKind.COUNCIL_CONFIRMATION,
                Deadline.Side.COUNCIL,
                Counting.CALENDAR_DAYS,
                14,
            )
        else:
            kind = (
                DeadlineKind.ACKNOWLEDGE
                if item.state == Request.State.SUBMITTED
                else DeadlineKind.ANSWER
            )
            side, counting = Deadline.Side.CITY, Counting.WORKING_DAYS
            days = 5 if kind == DeadlineKind.ACKNOWLEDGE else 30
        deadlines.append(
            Deadline(
                request=item,
                kind=kind,
                side=side,
                counting=counting,
                days=days,
                started_on=due - timedelta(days=days),
                original_due_on=due,
                due_on=due,
            )
        )
    Deadline.objects.bulk_create(deadlines, batch_size=5000)
    # Fresh planner statistics, as autovacuum keeps them on a live database: without them
    # PostgreSQL plans the anti-joins for empty tables and the timings stop meaning much.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measured(function):
    from django.db import connection, reset_queries

    connection.force_debug_cursor = True
    reset_queries()
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    count = len(connection.queries)
    connection.force_debug_cursor = False
    reset_queries()
    return seconds, count, result


def run_size(size, services, councils):
    from django.core import mail

    from civic_participation import reminders
    from civic_participation.models import Deadline

    empty_items()
    insert_items(size, services, councils, random.Random(size))
    mail.outbox = []
    baseline = measured(lambda: len(list(Deadline.objects.open().values_list("pk", "due_on"))))
    first = measured(lambda: reminders.sweep(SWEEP_AT))
    steady = measured(lambda: reminders.sweep(SWEEP_AT + timedelta(minutes=5)))
    return {"baseline": baseline, "first": first, "steady": steady, "emails": len(mail.outbox)}


def main():
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000])
    options = parser.parse_args()
    url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/civic_bench_sweep"
    )
    setup_django(url)
    services, councils = build_city()
    assert SWEEP_AT.date().weekday() == date(2026, 3, 18).weekday() == 2  # a Wednesday

    results = {}
    for size in options.sizes:
        print(f"Sweeping {size:,} open items…", flush=True)
        results[size] = run_size(size, services, councils)

    print()
    print(f"{'items':>9} | {'phase':<22} | {'seconds':>8} | {'queries':>7} | result")
    for size, phases in results.items():
        for label, key in (
            ("first sweep", "first"),
            ("steady-state sweep", "steady"),
            ("baseline: read all", "baseline"),
        ):
            seconds, queries, result = phases[key]
            print(f"{size:>9,} | {label:<22} | {seconds:>8.3f} | {queries:>7} | {result}")
        print(f"{size:>9,} | e-mails sent           |          |         | {phases['emails']}")
    small, large = options.sizes
    factor = large / small
    print()
    for label, key in (("first sweep", "first"), ("steady-state sweep", "steady")):
        time_ratio = results[large][key][0] / results[small][key][0]
        query_ratio = results[large][key][1] / results[small][key][1]
        print(
            f"{label}: {large:,}/{small:,} items ({factor:.0f}x) -> time x{time_ratio:.2f}, "
            f"queries x{query_ratio:.2f}"
        )
    for size in options.sizes:
        ratio = results[size]["first"][0] / results[size]["baseline"][0]
        print(f"first sweep / baseline read at {size:,} items: x{ratio:.1f}")


if __name__ == "__main__":
    main()

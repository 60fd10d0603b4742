"""Ballot submission over HTTP on PostgreSQL, against a minimal Django view, in one run.

    .venv/bin/python bench/budget_ballots.py [--requests 1500] [--clients 8] [--rounds 3]

It creates a throw-away database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/civic_budget_bench), migrates it, creates a process in its
vote with a city-wide zone and two districts, and one account with an API token per simulated
voter. It then starts gunicorn (2 workers x 4 threads) on a loopback port and sends, from a
bounded pool of keep-alive client threads, alternating batches of

- real ballots: POST /api/budget/processes/<id>/ballot/ (token auth, eligibility, rules,
  keyed hashes, registration + ballot + choices in one transaction, confirmation e-mail queued);
- the baseline: POST /bench/minimal/, a plain Django view (same middleware) inserting the same
  JSON body as one row.

It prints requests per second, p50 and p99 latency of both and the ratios.

This file is also the settings module of the benchmarked server (DJANGO_SETTINGS_MODULE=
budget_ballots): the reference site plus the baseline route.
"""

import os
import sys
from pathlib import Path

import _postgres

ROOT = Path(__file__).resolve().parent.parent
PYTHONPATHS = [ROOT / "site", *sorted((ROOT / "plugins").iterdir()), ROOT / "bench", ROOT]

if __name__ != "__main__":
    # Imported by the benchmarked server as its settings (and URLconf).
    from civic_site.settings import *  # noqa: F403

    ROOT_URLCONF = "budget_ballots"
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    def __getattr__(name):
        if name == "urlpatterns":
            return _urlpatterns()
        raise AttributeError(name)

    def _urlpatterns():
        from django.db import connection, transaction
        from django.http import HttpResponse
        from django.urls import include, path
        from django.views.decorators.csrf import csrf_exempt

        @csrf_exempt
        def minimal(request):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO bench_minimal_row (payload) VALUES (%s)", [request.body]
                )
            return HttpResponse(status=201)

        return [path("bench/minimal/", minimal), path("", include("civic_site.urls"))]


def main():
    import argparse
    import http.client
    import json
    import signal
    import socket
    import statistics
    import subprocess
    import threading
    import time
    from datetime import date, timedelta

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1500, help="per endpoint and round")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()

    url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/civic_budget_bench"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-secret-key",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_URL": "locmem://",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join(str(p) for p in PYTHONPATHS),
    }
    os.environ.update(env)
    sys.path[:0] = [str(p) for p in PYTHONPATHS]
    os.environ["DJANGO_SETTINGS_MODULE"] = "civic_site.settings"

    _postgres.recreate_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    print("Migrating the benchmark database…", flush=True)
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_minimal_row (id bigserial PRIMARY KEY, payload bytea)")

    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from civic_budget.models import Process, Project, Zone

    total = options.requests * options.rounds
    now = timezone.now()
    day = timedelta(days=1)
    process = Process.objects.create(
        title="Bench",
        slug="bench",
        total_budget_cents=10**9,
        ideas_open=now - 60 * day,
        review_open=now - 30 * day,
        vote_open=now - day,
        vote_close=now + 30 * day,
        results_published=now + 40 * day,
        implementation_start=now + 100 * day,
        age_reference_date=date(2026, 1, 1),
    )
    citywide = Zone.objects.create(
        process=process, name="Ville", kind="citywide", budget_cents=400_000_00, population=110_000
    )
    districts = [
        Zone.objects.create(process=process, name=n, budget_cents=120_000_00, population=55_000)
        for n in ("Nord", "Sud")
    ]
    projects = {
        zone.pk: [
            Project.objects.create(
                process=process,
                zone=zone,
                title=f"{zone.name} {i}",
                description="bench",
                estimated_cost_cents=30_000_00,
                status="on_ballot",
            ).pk
            for i in range(6)
        ]
        for zone in (citywide, *districts)
    }
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"voter{n}", email=f"voter{n}@bench.invalid")
        for n in range(total)
    )
    tokens = Token.objects.bulk_create(Token(user=user, key=Token.generate_key()) for user in users)

    def ballot_body(number):
        zone = districts[number % 2]
        picks = projects[citywide.pk][number % 3 : number % 3 + 3] + projects[zone.pk][:3]
        return json.dumps(
            {
                "zone": zone.pk,
                "first_name": f"Voter{number}",
                "last_name": "Bench",
                "birth_date": "1980-01-01",
                "resides_in_city": True,
                "choices": [{"project": pk, "points": 1} for pk in picks],
            }
        ).encode()

    bodies = [ballot_body(n) for n in range(total)]
    connection.close()

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "civic_site.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        env={**env, "DJANGO_SETTINGS_MODULE": "budget_ballots"},
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("gunicorn did not start")
                time.sleep(0.2)

        def run_batch(requests):
            """``requests``: list of (path, headers, body); returns (seconds, latencies, codes)."""
            latencies, codes, lock = [], {}, threading.Lock()
            cursor = iter(range(len(requests)))

            def worker():
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                while True:
                    with lock:
                        index = next(cursor, None)
                    if index is None:
                        break
                    target, headers, body = requests[index]
                    started = time.perf_counter()
                    conn.request("POST", target, body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    elapsed = time.perf_counter() - started
                    with lock:
                        latencies.append(elapsed)
                        codes[response.status] = codes.get(response.status, 0) + 1
                conn.close()

            threads = [threading.Thread(target=worker) for _ in range(options.clients)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            return time.perf_counter() - started, latencies, codes

        ballot_path = f"/api/budget/processes/{process.pk}/ballot/"
        json_header = {"Content-Type": "application/json", "Host": "127.0.0.1"}
        warmup = [("/bench/minimal/", json_header, bodies[0])] * 200
        run_batch(warmup)
        results = {"ballot": [0.0, [], {}], "minimal": [0.0, [], {}]}
        for round_number in range(options.rounds):
            chunk = range(round_number * options.requests, (round_number + 1) * options.requests)
            batches = {
                "minimal": [("/bench/minimal/", json_header, bodies[n]) for n in chunk],
                "ballot": [
                    (
                        ballot_path,
                        {**json_header, "Authorization": f"Token {tokens[n].key}"},
                        bodies[n],
                    )
                    for n in chunk
                ],
            }
            for kind in ("minimal", "ballot") if round_number % 2 == 0 else ("ballot", "minimal"):
                seconds, latencies, codes = run_batch(batches[kind])
                results[kind][0] += seconds
                results[kind][1].extend(latencies)
                for code, count in codes.items():
                    results[kind][2][code] = results[kind][2].get(code, 0) + count
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    def summary(kind):
        seconds, latencies, codes = results[kind]
        ordered = sorted(latencies)
        return {
            "rps": len(latencies) / seconds,
            "p50": statistics.median(ordered) * 1000,
            "p99": ordered[int(0.99 * (len(ordered) - 1))] * 1000,
            "codes": codes,
        }

    ballot, minimal = summary("ballot"), summary("minimal")
    django.db.connections.close_all()
    from civic_budget.models import Ballot

    stored = Ballot.objects.filter(process=process).count()
    print(
        f"{total} requests per endpoint, {options.clients} clients, "
        f"gunicorn 2 workers x 4 threads, PostgreSQL"
    )
    for label, figures in (("ballot submission", ballot), ("minimal insert view", minimal)):
        print(
            f"  {label:<20} {figures['rps']:8.1f} req/s  p50 {figures['p50']:6.1f} ms  "
            f"p99 {figures['p99']:6.1f} ms  statuses {figures['codes']}"
        )
    print(f"  ballots stored: {stored}")
    print(f"throughput ratio (ballot / minimal): {ballot['rps'] / minimal['rps']:.2f}")
    print(f"p99 latency ratio (ballot / minimal): {ballot['p99'] / minimal['p99']:.2f}")
    if ballot["codes"] != {201: total}:
        sys.exit("some ballots were not accepted")


if __name__ == "__main__":
    main()

"""Vote ingestion over HTTP on PostgreSQL: the real vote endpoint against a minimal Django view
that inserts one row into a table of the same shape, same gunicorn server, same run (PostgreSQL
and Redis as in production).

    .venv/bin/python bench/consultation_vote_ingestion.py [--voters 250] [--workers 4]

Prints votes per second of both, their ratio (target >= 0.5), and checks that the proposals'
counters and the live counters equal a recount from the vote rows afterwards.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _consultation_setup as setup  # noqa: E402

DATABASE = "civic_consultation_bench_ingest"
BASELINE_TABLE = "bench_vote_baseline"
ROUND_NAMES = ("first votes", "every vote changed")


# The server side: the site's URLs plus the baseline view, loaded by gunicorn. -------------


def baseline_vote(request):
    """The least a Django view can do for a vote: parse the body, insert one row."""
    from django.db import connection
    from django.http import HttpResponse, JsonResponse

    try:
        body = json.loads(request.body)
        participant, proposal, value = (
            int(body["participant"]),
            int(body["proposal"]),
            body["value"],
        )
    except (ValueError, KeyError, TypeError):
        return HttpResponse(status=400)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BASELINE_TABLE} (participant_id, proposal_id, value, qualifications,"
            " trusted, excluded, shared, sequence, address_range, created_at, updated_at)"
            " VALUES (%s, %s, %s, %s, false, false, false, NULL, '', now(), now())",
            [participant, proposal, value, json.dumps(body.get("qualifications", []))],
        )
    return JsonResponse({"ok": True})


def urlpatterns_with_baseline():
    from django.urls import path
    from django.views.decorators.csrf import csrf_exempt

    from civic_site import urls

    return [path("bench/baseline-vote/", csrf_exempt(baseline_vote)), *urls.urlpatterns]


if os.environ.get("BENCH_WSGI"):
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    settings.ROOT_URLCONF = __name__
    # Every simulated voter posts from the same loopback address: lift the per-address limits
    # (per-participant limits stay as configured: the setting is merged over its defaults).
    settings.CIVIC_CONSULTATION_RATE_LIMITS = {
        "vote_address": (10**9, 3600),
        "join_address": (10**9, 600),
    }
    application = get_wsgi_application()
    urlpatterns = urlpatterns_with_baseline()


# The load generator. -----------------------------------------------------------------------


def post_all(port, requests, results):
    """Send ``requests`` (path, headers, body) one after the other; record the statuses."""
    statuses = []
    try:
        for path, headers, body in requests:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
            connection.close()
    except OSError as error:
        statuses.append(repr(error))
    results.put(statuses)


def cpu_seconds(server_pid):
    """CPU seconds used so far by the web server (gunicorn and its workers) and by PostgreSQL
    on this machine, read from /proc (empty elsewhere): where a request's cost goes."""
    used = {"web": 0.0, "database": 0.0}
    proc = Path("/proc")
    if not proc.is_dir():
        return {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        name, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat.rsplit(")", 1)[1].split()
        parent, seconds = int(fields[1]), (int(fields[11]) + int(fields[12])) / tick
        if int(entry.name) == server_pid or parent == server_pid:
            used["web"] += seconds
        elif name == "postgres":
            used["database"] += seconds
    return used


def run_load(port, requests, clients, server_pid):
    """Spread ``requests`` over ``clients`` processes; returns requests per second, statuses,
    and the milliseconds of CPU per request of the web server and of the database."""
    queue = multiprocessing.Queue()
    shares = [requests[index::clients] for index in range(clients)]
    processes = [
        multiprocessing.Process(target=post_all, args=(port, share, queue)) for share in shares
    ]
    cpu_before = cpu_seconds(server_pid)
    started = time.perf_counter()
    for process in processes:
        process.start()
    statuses = [status for _ in processes for status in queue.get(timeout=600)]
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - started
    cpu = {
        role: 1000 * (seconds - cpu_before[role]) / len(requests)
        for role, seconds in cpu_seconds(server_pid).items()
    }
    return len(requests) / elapsed, statuses, cpu


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port, deadline=60):
    end = time.time() + deadline
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


# The data. ---------------------------------------------------------------------------------


def build(voters, proposals_count):
    """A consultation, accepted proposals, voters with a sequence of served cards each."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from civic_consultation import identity, services
    from civic_consultation.models import Consultation, Participant, Proposal

    consultation = Consultation.objects.create(
        title="Bench",
        slug="bench-ingestion",
        question="?",
        status="open",
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=9),
    )
    authors = Participant.objects.bulk_create(
        Participant(consultation=consultation) for _ in range(proposals_count)
    )
    Proposal.objects.bulk_create(
        Proposal(
            consultation=consultation,
            author=author,
            text=f"Il faut agir {index}",
            status="accepted",
        )
        for index, author in enumerate(authors)
    )
    cards = []
    for _ in range(voters):
        participant = services.join(consultation)
        token = identity.make_token(participant)
        cards.extend((participant.pk, token, card) for card in services.next_cards(participant))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BASELINE_TABLE}")
        # Same columns, defaults, checks, indexes and unique constraint as the vote table, and
        # the same two foreign keys (deferred to commit, as Django declares them).
        cursor.execute(
            f"CREATE TABLE {BASELINE_TABLE} (LIKE civic_consultation_vote INCLUDING ALL)"
        )
        for column, table in (
            ("participant_id", "civic_consultation_participant"),
            ("proposal_id", "civic_consultation_proposal"),
        ):
            cursor.execute(
                f"ALTER TABLE {BASELINE_TABLE} ADD FOREIGN KEY ({column}) REFERENCES {table} (id)"
                " DEFERRABLE INITIALLY DEFERRED"
            )
    return consultation, cards


def vote_requests(consultation, cards, values):
    path = f"/api/consultation/consultations/{consultation.pk}/vote/"
    return [
        (
            path,
            {"Content-Type": "application/json", "X-Participant-Token": token},
            json.dumps(
                {
                    "proposal": card.proposal_id,
                    "value": values[index % 3],
                    "qualifications": [],
                    "key": card.key,
                }
            ),
        )
        for index, (_participant, token, card) in enumerate(cards)
    ]


def baseline_requests(cards, values):
    return [
        (
            "/bench/baseline-vote/",
            {"Content-Type": "application/json"},
            json.dumps(
                {
                    "participant": participant,
                    "proposal": card.proposal_id,
                    "value": values[index % 3],
                }
            ),
        )
        for index, (participant, _token, card) in enumerate(cards)
    ]


def check_counters(consultation):
    from django.db import connection

    from civic_consultation import services

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM civic_consultation_proposal p
            LEFT JOIN (
                SELECT proposal_id,
                       count(*) FILTER (WHERE trusted AND value = 'agree') AS agree,
                       count(*) FILTER (WHERE trusted AND value = 'disagree') AS disagree,
                       count(*) FILTER (WHERE trusted AND value = 'neutral') AS neutral,
                       count(*) FILTER (WHERE NOT trusted) AS untrusted
                FROM civic_consultation_vote GROUP BY proposal_id
            ) v ON v.proposal_id = p.id
            WHERE p.consultation_id = %s AND (
                p.agree != coalesce(v.agree, 0) OR p.disagree != coalesce(v.disagree, 0)
                OR p.neutral != coalesce(v.neutral, 0)
                OR p.untrusted_agree + p.untrusted_disagree + p.untrusted_neutral
                   != coalesce(v.untrusted, 0))
            """,
            [consultation.pk],
        )
        wrong = cursor.fetchone()[0]
    live, recount = consultation.counters()["votes"], services.recount(consultation)["votes"]
    return wrong, live, recount


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=250, help="each votes on 12 cards")
    parser.add_argument("--proposals", type=int, default=300)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=6)
    args = parser.parse_args()

    setup.fresh_database(DATABASE)
    setup.setup_django(DATABASE)
    print(f"building {args.proposals} proposals and {args.voters} voters x 12 served cards…")
    consultation, cards = build(args.voters, args.proposals)
    from django.db import connection

    connection.close()

    port = free_port()
    here = Path(__file__).resolve().parent
    env = {**setup.environment(DATABASE), "BENCH_WSGI": "1"}
    env["PYTHONPATH"] = os.pathsep.join([str(here), env["PYTHONPATH"]])
    server = subprocess.Popen(
        [
            str(setup.ROOT / ".venv" / "bin" / "gunicorn"),
            "consultation_vote_ingestion:application",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--backlog",
            "2048",
        ],
        env=env,
        cwd=setup.ROOT,
        start_new_session=True,
    )
    try:
        wait_for(port)
        # Warm both paths (imports, connections) before measuring.
        run_load(port, vote_requests(consultation, cards[:20], ["agree"] * 3), 2, server.pid)
        run_load(port, baseline_requests(cards[:20], ["agree"] * 3), 2, server.pid)
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {BASELINE_TABLE}")
        rounds = []
        # Round 1: first votes; round 2: every vote changed (the replace path).
        for round_number, values in enumerate(
            (["agree", "disagree", "neutral"], ["neutral", "agree", "disagree"])
        ):
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {BASELINE_TABLE}")
            connection.close()
            base_rate, base_statuses, base_cpu = run_load(
                port, baseline_requests(cards, values), args.clients, server.pid
            )
            real_rate, real_statuses, real_cpu = run_load(
                port, vote_requests(consultation, cards, values), args.clients, server.pid
            )
            assert set(base_statuses) == {200}, set(base_statuses)
            assert set(real_statuses) == {200}, set(real_statuses)
            rounds.append((base_rate, real_rate))
            print(
                f"round {round_number + 1} ({ROUND_NAMES[round_number]}):"
                f" baseline {base_rate:7.1f} votes/s, vote endpoint {real_rate:7.1f} votes/s,"
                f" ratio {real_rate / base_rate:.2f}"
            )
            if real_cpu:
                print(
                    "  CPU per vote, web server / database:"
                    f" baseline {base_cpu['web']:.2f} / {base_cpu['database']:.2f} ms,"
                    f" vote endpoint {real_cpu['web']:.2f} / {real_cpu['database']:.2f} ms"
                )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    base_total = sum(base for base, _ in rounds) / len(rounds)
    real_total = sum(real for _, real in rounds) / len(rounds)
    wrong, live, recount = check_counters(consultation)
    print(f"votes sent per endpoint and round: {len(cards)}; gunicorn workers: {args.workers}")
    print(
        f"mean ratio vote endpoint / minimal insert view: {real_total / base_total:.2f}"
        " (target >= 0.5)"
    )
    print(
        f"proposals whose counters differ from a recount: {wrong}; live vote counter {live},"
        f" vote rows {recount}"
    )
    if wrong or live != recount or recount != len(cards):
        raise SystemExit("counters do not match the votes")


if __name__ == "__main__":
    main()

"""End to end: real `manage.py qcluster` processes on PostgreSQL e-mail a real SMTP sink.

A council's deadline passes; the sweep must e-mail its référent exactly once, when the cluster
is killed in the middle of sending and restarted, when two clusters sweep at the same time, and
when the django-q2 schedule (not the test) starts the sweep.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import Schedule, Task
from django_q.tasks import async_task

from civic_participation import services, tasks
from civic_participation.models import Reminder, ReminderDelivery, ReminderEmail
from civic_participation.workflow import perform
from tests.participation import factories
from tests.participation.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parents[2]
Q_WORKERS = 2  # as in qcluster_settings
pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class Cluster:
    """One `manage.py qcluster` process group, killed as a whole."""

    def __init__(self, sink, log_path):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.participation.qcluster_settings",
            "DATABASE_URL": database_url(),
            "EMAIL_URL": sink.url,
            "PYTHONPATH": os.pathsep.join(sys.path),
        }
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for(self.ready, 60, f"cluster start ({log_path})")
        except AssertionError:
            self.kill()
            raise

    def ready(self):
        # Workers, monitor, pusher and guard each log one line naming their process (the
        # wording follows the site's language, the prefix does not).
        started = [
            line for line in self.log_path.read_text().splitlines() if line.startswith("Process-")
        ]
        return len(started) >= Q_WORKERS + 3

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        self.log.close()

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.log.close()


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Timed out waiting for {what}")


def enqueue_sweeps(count, monkeypatch):
    # The test settings run tasks inline; these must go through the broker to the clusters.
    monkeypatch.setattr(Conf, "SYNC", False)
    return [async_task(tasks.SWEEP_SCHEDULE_FUNC) for _ in range(count)]


def council_past_its_deadline(agent, service, name):
    """A council invited twelve days ago, acknowledgement due (10 days) two days ago."""
    council = factories.CouncilFactory(name=name)
    referent = factories.council_member(council, referent=True)
    published = timezone.now() - timedelta(days=12)
    offer = services.create_offer(agent, service, f"Concertation {name}", "Avis", now=published)
    respond_by = timezone.localdate(published) + timedelta(days=40)
    perform(
        offer,
        "publish",
        agent,
        {"councils": [council.pk], "respond_by": respond_by.isoformat()},
        now=published,
    )
    return referent


def sent_to(sink, user):
    return [message for message in sink.handler.received() if message["To"] == user.email]


def test_reminders_reach_the_council_exactly_once_through_real_clusters(
    tmp_path, monkeypatch, wagtail_roots
):
    service = factories.ServiceFactory(name="Démocratie locale")
    agent = factories.service_agent(service)
    # Upserted as after a migration: due now, so the first cluster's scheduler starts a sweep.
    tasks.sync_task_schedules()
    clusters = []
    with SmtpSink() as sink:
        try:
            # 1. Killed while the SMTP server holds the end of DATA, then restarted.
            first = council_past_its_deadline(agent, service, "Conseil Doller")
            sink.handler.hold_seconds = 8
            clusters.append(Cluster(sink, tmp_path / "cluster-a.log"))
            enqueue_sweeps(1, monkeypatch)
            assert sink.handler.receiving.wait(60), "the sweep never reached the SMTP server"
            clusters.pop().kill()
            sink.handler.hold_seconds = 0
            assert sink.handler.received() == []
            assert not ReminderEmail.objects.exists()
            ledger = Reminder.objects.filter(deadline__invitation__council__memberships__user=first)
            assert ledger.count() == 4  # acknowledgement J+7, D-7, D-2; response J+7
            assert ledger.filter(fanned_out=True).count() == 4
            assert ReminderDelivery.objects.filter(status="pending", recipient=first).count() == 2

            clusters.append(Cluster(sink, tmp_path / "cluster-a2.log"))
            enqueue_sweeps(1, monkeypatch)
            wait_for(lambda: sent_to(sink, first), 60, "the reminder after the restart")

            # 2. Two clusters sweeping at the same time.
            second = council_past_its_deadline(agent, service, "Conseil Rebberg")
            clusters.append(Cluster(sink, tmp_path / "cluster-b.log"))
            ids = enqueue_sweeps(6, monkeypatch)
            wait_for(lambda: Task.objects.filter(id__in=ids).count() == 6, 90, "six sweeps")
            assert all(Task.objects.filter(id__in=ids).values_list("success", flat=True))

            # 3. The schedule, not the test, starts a sweep (the one at start-up was killed).
            Schedule.objects.filter(name=tasks.SWEEP_SCHEDULE_NAME).update(
                next_run=timezone.now() - timedelta(seconds=1)
            )
            wait_for(
                lambda: Task.objects.filter(group=tasks.SWEEP_SCHEDULE_NAME, success=True).exists(),
                60,
                "a sweep started by the schedule",
            )
        finally:
            for cluster in clusters:
                cluster.stop()

    assert len(sent_to(sink, first)) == 1
    assert len(sent_to(sink, second)) == 1
    assert len(sink.handler.received()) == 2
    message = sent_to(sink, second)[0]
    assert (
        "/admin/civic_participation/invitation/inspect/"
        in message.get_payload(0).get_payload(decode=True).decode()
    )
    assert ReminderEmail.objects.count() == 2
    assert Reminder.objects.count() == 8

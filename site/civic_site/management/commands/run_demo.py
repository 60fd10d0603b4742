"""Run the web server and the django-q2 cluster together; Ctrl-C stops both."""

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from civic_site.demo_accounts import DEMO_PASSWORD, demo_accounts

STOP_GRACE_SECONDS = 10


class Command(BaseCommand):
    help = "Start the web server and the task cluster side by side (quick start)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, host, port, **options):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        processes = {
            "web server": subprocess.Popen([*manage, "runserver", "--noreload", f"{host}:{port}"]),
            "task cluster": subprocess.Popen([*manage, "qcluster"]),
        }
        self.print_welcome(f"http://{host}:{port}")
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        while not stopping:
            for name, process in processes.items():
                if process.poll() is not None:
                    self.stderr.write(f"The {name} stopped (exit code {process.returncode}).")
                    exit_code = process.returncode or 1
                    stopping = True
            time.sleep(0.5)
        self.stdout.write("Stopping the web server and the task cluster…")
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
        sys.exit(exit_code)

    def print_welcome(self, base_url):
        lines = [
            "",
            "wagtail-civic is running.",
            f"  Public site      {base_url}/",
            f"  Member space     {base_url}/admin/",
            f"  Pages API        {base_url}/api/v2/pages/",
            f"  API docs         {base_url}/api/docs/",
            f"Demo accounts (password: {DEMO_PASSWORD}):",
            *(f"  {username:<20} {roles}" for username, roles in demo_accounts()),
            "Press Ctrl-C to stop.",
            "",
        ]
        self.stdout.write("\n".join(lines))

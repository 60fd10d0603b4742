"""Production as docs/production.md describes it: `check --deploy` clean, the documented start
serving pages and static files without a manual collectstatic, CSP on every HTML page."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE_PATH = (
    os.pathsep.join(
        str(ROOT / folder)
        for folder in ("site", "plugins/core", "plugins/participation", "plugins/consultation")
    )
    + os.pathsep
    + str(ROOT / "plugins/budget")
)


def production_environment(tmp_path):
    """The variables docs/production.md lists as required, and nothing from the test run."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "SECURE_", "CSP_")) and key != "DEBUG"
    }
    environment.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="participation.example.org,127.0.0.1",
        SITE_URL="https://participation.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        EMAIL_URL="smtp://mail.example.org:587?tls=1",
        REDIS_URL="redis://127.0.0.1:6379/0",
        CIVIC_VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SETTINGS_MODULE="civic_site.settings",
    )
    return environment


def manage(environment, *arguments, timeout=300):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def test_check_deploy_is_clean_with_the_documented_variables(tmp_path):
    result = manage(
        production_environment(tmp_path), "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url):
    request = urllib.request.Request(
        url, headers={"Host": "participation.example.org", "X-Forwarded-Proto": "https"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def test_the_documented_start_serves_pages_and_static_files_without_collectstatic(tmp_path):
    environment = production_environment(tmp_path)
    environment.pop("REDIS_URL")  # no Redis needed to serve a page
    migrated = manage(environment, "migrate", "--noinput", timeout=600)
    assert migrated.returncode == 0, migrated.stderr
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--pythonpath",
            SOURCE_PATH.replace(os.pathsep, ","),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "civic_site.wsgi",
        ],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, headers, body = fetch(f"http://127.0.0.1:{port}/search/?query=budget")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    server.kill()
                    pytest.fail(server.stdout.read().decode())
                time.sleep(0.5)
        assert status == 200
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert b"/static/civic_site/css/theme.css" in body
        status, headers, css = fetch(f"http://127.0.0.1:{port}/static/civic_site/css/theme.css")
        assert status == 200 and headers["Content-Type"].startswith("text/css") and css
        status, _, page = fetch(f"http://127.0.0.1:{port}/api/docs/")
        assert (
            status == 200
            and b"cdn.jsdelivr" not in page
            and b"/static/drf_spectacular_sidecar/" in page
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("url", ["/admin/login/", "/api/docs/", "/api/redoc/"])
def test_html_pages_carry_the_content_security_policy(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    assert b"fonts.googleapis.com" not in response.content
    assert b"cdn.jsdelivr.net" not in response.content

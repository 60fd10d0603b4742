"""Configuration read from the environment, and start-up refusing an incomplete production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from civic_site.environment import database_settings, email_settings, env_bool, env_list

ROOT = Path(__file__).resolve().parents[2]


def test_email_url_smtp_with_credentials_and_tls():
    settings = email_settings("smtp://mailer:s%40cret@mail.example.org:587?tls=1&timeout=7")
    assert settings == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "s@cret",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
        "EMAIL_TIMEOUT": 7,
    }


def test_email_url_smtps_defaults_to_ssl_port():
    settings = email_settings("smtps://mail.example.org")
    assert settings["EMAIL_PORT"] == 465
    assert settings["EMAIL_USE_SSL"] is True


def test_email_url_console_and_file():
    assert email_settings("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert email_settings("file:///var/mail/civic")["EMAIL_FILE_PATH"] == "/var/mail/civic"


@pytest.mark.parametrize("url", ["pigeon://loft", "smtp://", "file://"])
def test_bad_email_url_is_refused_with_its_name(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_settings(url)


def test_sqlite_default_is_tuned_for_a_web_server_and_a_cluster(tmp_path):
    config = database_settings("", var_dir=tmp_path / "var")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "var" / "db.sqlite3")
    assert (tmp_path / "var").is_dir()  # a fresh checkout has no var/ folder yet
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert "busy_timeout" in config["OPTIONS"]["init_command"]


def test_postgres_url():
    config = database_settings("postgres://civic:pw@db.internal:5433/civic", var_dir=Path("var"))
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "civic")


def test_invalid_database_url_is_named():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_settings("nosuchdb://x", var_dir=Path("var"))


def test_booleans_and_lists(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert env_bool("FLAG") is True
    assert env_list("HOSTS") == ["a.example", "b.example"]
    monkeypatch.setenv("FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG")


def start_site(**environment):
    """Run `manage.py check` in a clean process with exactly these variables."""
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **environment}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("present", "missing_name"),
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "k"}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": "k", "ALLOWED_HOSTS": "civic.example"}, "EMAIL_URL"),
    ],
)
def test_production_start_up_names_the_missing_setting(present, missing_name):
    result = start_site(DEBUG="0", **present)
    assert result.returncode != 0
    assert f"The environment variable {missing_name} is required" in result.stderr


def test_complete_production_configuration_starts(tmp_path):
    result = start_site(
        DEBUG="0",
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="civic.example",
        EMAIL_URL="smtp://mail.example.org:25",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CIVIC_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("proxy_count", "forwarded", "seen"),
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no trusted proxy: the header is the client's words
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # a spoofed entry on the left is ignored
        (2, "198.51.100.7, 203.0.113.9, 10.0.0.5", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.2"),  # fewer entries than proxies: keep the socket address
    ],
)
def test_client_address_behind_trusted_proxies(settings, rf, proxy_count, forwarded, seen):
    from civic_site.middleware import ForwardedClientAddress

    settings.PROXY_COUNT = proxy_count
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.2")
    ForwardedClientAddress(lambda request: request.META["REMOTE_ADDR"])(request)
    assert request.META["REMOTE_ADDR"] == seen


def test_whole_numbers_are_checked(monkeypatch):
    from civic_site.environment import env_int

    monkeypatch.setenv("PROXY_COUNT", "two")
    with pytest.raises(ImproperlyConfigured, match="PROXY_COUNT"):
        env_int("PROXY_COUNT")
    monkeypatch.setenv("PROXY_COUNT", "2")
    assert env_int("PROXY_COUNT") == 2

"""Reading the reference site's configuration from environment variables.

Kept apart from settings.py so that every parsing rule is testable and each error names the
variable at fault.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}.")


def env_int(name, default=0):
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def require(name, *, unless_debug, debug, fallback=None):
    """Return a variable that production cannot do without; in debug mode use `fallback`."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if unless_debug and debug:
        return fallback
    raise ImproperlyConfigured(
        f"The environment variable {name} is required when DEBUG is off. "
        f"Set it, or set DEBUG=1 for a local development run."
    )


EMAIL_SCHEMES = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "submission": "django.core.mail.backends.smtp.EmailBackend",
}


def email_settings(url):
    """Translate an e-mail URL into Django's EMAIL_* settings.

    Accepted: ``console://``, ``file:///folder``, ``locmem://``, ``dummy://``,
    ``smtp://user:password@host:25``, ``smtp://host:587?tls=1``, ``smtps://host:465`` (SSL),
    ``submission://user:password@host`` (port 587 with STARTTLS).
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in EMAIL_SCHEMES:
        known = ", ".join(sorted(EMAIL_SCHEMES))
        raise ImproperlyConfigured(f"EMAIL_URL scheme {scheme!r} is not one of: {known}.")
    settings = {"EMAIL_BACKEND": EMAIL_SCHEMES[scheme]}
    if scheme == "file":
        if not parts.path:
            raise ImproperlyConfigured("EMAIL_URL file:// needs a folder, e.g. file:///var/mail.")
        settings["EMAIL_FILE_PATH"] = unquote(parts.path)
    if scheme in {"smtp", "smtps", "submission"}:
        if not parts.hostname:
            raise ImproperlyConfigured("EMAIL_URL needs a host, e.g. smtp://mail.example.org:25.")
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        default_port = {"smtp": 25, "smtps": 465, "submission": 587}[scheme]
        settings.update(
            EMAIL_HOST=parts.hostname,
            EMAIL_PORT=parts.port or default_port,
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=scheme == "smtps" or options.get("ssl", "").lower() in TRUE_WORDS,
            EMAIL_USE_TLS=scheme == "submission" or options.get("tls", "").lower() in TRUE_WORDS,
        )
        if "timeout" in options:
            settings["EMAIL_TIMEOUT"] = int(options["timeout"])
    return settings


def database_settings(url, *, var_dir):
    """DATABASES['default'] from DATABASE_URL (default: a SQLite file in `var_dir`), with SQLite
    tuned for a web server and a task cluster writing to the same file (WAL journal, immediate
    transactions, busy timeout)."""
    import dj_database_url

    if not url:
        url = f"sqlite:///{var_dir / 'db.sqlite3'}"
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {error}") from None
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Statements bound on the server are planned once per connection after a few runs
        # (the consultation's votes use them). Off behind a transaction-pooling proxy.
        if env_bool("DATABASE_PREPARED_STATEMENTS", True):
            config.setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # SQLite creates the file but not its folder; a fresh checkout has no var/ yet.
        if config["NAME"] != ":memory:":
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        config["CONN_MAX_AGE"] = 0
        config["CONN_HEALTH_CHECKS"] = False
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            ),
        }
    return config


LOCKOUT_FIELDS = {"username", "ip_address", "user_agent"}


def lockout_parameters(raw):
    """django-axes' AXES_LOCKOUT_PARAMETERS from ``LOGIN_LOCKOUT_PARAMETERS``.

    Comma-separated counters, each one field or several joined by ``+`` (counted together):
    ``username+ip_address`` counts failures per account and client address;
    ``ip_address,username+ip_address`` also counts every failure of an address.
    """
    parameters = []
    for counter in (part.strip() for part in raw.split(",")):
        if not counter:
            continue
        fields = [field.strip() for field in counter.split("+")]
        unknown = [field for field in fields if field not in LOCKOUT_FIELDS]
        if unknown:
            known = ", ".join(sorted(LOCKOUT_FIELDS))
            raise ImproperlyConfigured(
                f"LOGIN_LOCKOUT_PARAMETERS: {', '.join(unknown)} is not one of: {known}."
            )
        parameters.append(fields[0] if len(fields) == 1 else fields)
    if not parameters:
        raise ImproperlyConfigured("LOGIN_LOCKOUT_PARAMETERS must name at least one field.")
    return parameters

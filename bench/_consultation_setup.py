"""Shared set-up of the consultation benchmarks: a fresh PostgreSQL database (and an empty Redis
database) per run, the database cloned from a migrated template so that each benchmark starts in
seconds.

Run alone, it (re)builds the template: `.venv/bin/python bench/_consultation_setup.py`.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# Production runs with Redis as the shared cache (the rate limits live there): so do the
# benchmarks, in a Redis database of their own that each run starts empty.
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14")
TEMPLATE = "civic_consultation_bench_template"
SECRET = "bench-secret-key-not-for-production"
PATHS = [
    ROOT,
    ROOT / "site",
    *(ROOT / "plugins" / name for name in ("core", "participation", "consultation", "budget")),
]


def environment(database):
    """Variables of the reference site in production mode, on ``database``."""
    return {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{database}",
        "REDIS_URL": REDIS,
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "EMAIL_URL": "locmem://",
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "civic_site.settings",
        "PYTHONPATH": os.pathsep.join(str(path) for path in PATHS),
    }


def _admin(sql):
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def build_template():
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
        check=True,
        env=environment(TEMPLATE),
        cwd=ROOT,
    )


def fresh_database(name):
    """Drop ``name`` and clone it from the migrated template; returns the name."""
    try:
        _admin(f"CREATE DATABASE {TEMPLATE}")
    except Exception:  # already there
        pass
    build_template()
    _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    import redis

    try:
        redis.Redis.from_url(REDIS).flushdb()
    except redis.ConnectionError as error:
        sys.exit(f"Redis is needed for this benchmark at {REDIS} (BENCH_REDIS): {error}")
    return name


def setup_django(database):
    """Configure this process for ``database`` and start Django."""
    os.environ.update(environment(database))
    for path in PATHS:
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    import django

    django.setup()


def drop_database(name):
    _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    fresh_database("civic_consultation_bench_check")
    drop_database("civic_consultation_bench_check")
    print("consultation benchmark template ready")

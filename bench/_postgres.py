"""Shared set-up of the benchmarks that build their own PostgreSQL database from migrations."""

import sys


def recreate_database(url):
    """Drop and create the database named by ``url`` (postgres://…/name); exit with a clear
    message when no PostgreSQL server answers."""
    import psycopg

    admin_url, name = url.rsplit("/", 1)
    try:
        with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        sys.exit(f"PostgreSQL is needed for this benchmark ({error}).")

"""The plugin refuses to start on a database its vote store does not speak."""

from types import SimpleNamespace

from civic_consultation import checks, vote_store


def test_the_vote_database_is_checked(monkeypatch):
    assert checks.check_vote_database() == []
    monkeypatch.setattr(vote_store, "database", lambda: SimpleNamespace(vendor="mysql"))
    [error] = checks.check_vote_database()
    assert error.id == "civic_consultation.E001" and "mysql" in error.msg

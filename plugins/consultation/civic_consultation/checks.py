"""System checks of the consultation plugin."""

from django.core.checks import Error, register


@register()
def check_vote_database(app_configs=None, **kwargs):
    """The vote path's hand-written SQL (``vote_store``) runs on PostgreSQL and SQLite only:
    refuse to start on another database rather than fail at the first vote."""
    from civic_consultation import vote_store

    vendor = vote_store.database().vendor
    if vendor in vote_store.SUPPORTED_VENDORS:
        return []
    return [
        Error(
            f"The consultation plugin stores votes with SQL written for PostgreSQL and SQLite; "
            f"the database the router picks for its votes is {vendor}.",
            hint="Route the civic_consultation models to a PostgreSQL (or SQLite) database.",
            id="civic_consultation.E001",
        )
    ]

"""How long the voters' identities of a process are kept, and their purge.

One ballot per person needs the identities (keyed hashes of name and birth date, accounts) until
a contest about the published results can no longer change anything. ``IDENTITY_RETENTION_DAYS``
after the results are published, :func:`purge_identities` empties them: registrations keep only
the process, the method and the day; ballots get a random receipt key, so even the holder of
the identity secret and a person's name can no longer find that person's ballot. The ballots,
their choices and the stored results are untouched: counts, hashes and winners stay the same.
"""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from civic_budget.app_settings import app_settings
from civic_budget.models import (
    Ballot,
    IdentityContest,
    PaperBallotEntry,
    Process,
    VoterRegistration,
)


def purge_due(now=None):
    """The processes whose identities are due for purging at ``now``."""
    now = now or timezone.now()
    limit = now - timedelta(days=app_settings.IDENTITY_RETENTION_DAYS)
    return Process.objects.filter(
        results_published__lte=limit, identities_purged_at__isnull=True, frozen_at__isnull=False
    )


def purge_identities(process):
    """Empty every identity of ``process``; the ballots and results stay as they are."""
    with transaction.atomic():
        process = Process.objects.select_for_update().get(pk=process.pk)
        if process.identities_purged_at is not None:
            return process
        VoterRegistration.objects.filter(process=process).update(
            identity_key=None, account_key=None, notified_at=None
        )
        ballots = list(Ballot.objects.filter(process=process).only("pk"))
        for ballot in ballots:
            ballot.receipt_key = secrets.token_hex(32)
        Ballot.objects.bulk_update(ballots, ["receipt_key"], batch_size=1000)
        entries = PaperBallotEntry.objects.filter(process=process)
        entries.filter(status=PaperBallotEntry.AWAITING).update(status=PaperBallotEntry.CANCELLED)
        entries.update(identity_key="", entry_digest="")
        IdentityContest.objects.filter(process=process).update(claimant=None, registration=None)
        process.identities_purged_at = timezone.now()
        process.save(update_fields=["identities_purged_at"])
    return process


def purge_expired_identities(now=None):
    """The scheduled task: purge every process due; returns their ids."""
    return [purge_identities(process).pk for process in purge_due(now)]

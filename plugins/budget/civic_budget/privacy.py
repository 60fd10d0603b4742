"""The budget plugin's part of a person's data (``civic_core.privacy``), registered in ``apps.py``.

Export: the person's registrations (process, method, day, verified or declared; never what the
ballot holds: an export file travels, and the choices are shown on the ballot page to the
signed-in voter while the vote is open), the ideas they proposed, what they wrote in project
dialogues, the contests they opened and the paper entries they typed as an agent.

Erasure: the registrations lose their account key, so no account leads to them any more; once
the ballots are frozen they also lose their identity key (before, it is kept so that nobody can
vote twice under the same name with a new account). Deleting the account then empties the
proposer, author, claimant and agent links (``SET_NULL``). Ballots and results are untouched,
so the count, its hashes and its winners stay the same.
"""

from civic_budget import identity
from civic_budget.models import (
    IdentityContest,
    PaperBallotEntry,
    Process,
    Project,
    ProjectEvent,
    VoterRegistration,
)


def _registrations(user):
    keys = [
        identity.account_key(pk, user.pk) for pk in Process.objects.values_list("pk", flat=True)
    ]
    return VoterRegistration.objects.filter(account_key__in=keys).select_related("process")


def export(user):
    return {
        "registrations": [
            {
                "process": registration.process.title,
                "method": registration.method,
                "registered_on": registration.registered_on.isoformat(),
                "verified_identity": registration.verified,
            }
            for registration in _registrations(user).order_by("process_id")
        ],
        "ideas": [
            {
                "id": project.pk,
                "process": project.process.title,
                "title": project.title,
                "description": project.description,
                "location": project.location,
                "estimated_cost_cents": project.estimated_cost_cents,
                "status": project.status,
                "submitted_at": project.created_at.isoformat(),
            }
            for project in Project.objects.filter(proposer=user)
            .select_related("process")
            .order_by("pk")
        ],
        "project_events": [
            {
                "project": event.project_id,
                "kind": event.kind,
                "message": event.message,
                "at": event.created_at.isoformat(),
            }
            for event in ProjectEvent.objects.filter(actor=user).order_by("created_at", "pk")
        ],
        "identity_contests": [
            {
                "id": contest.pk,
                "process": contest.process.title,
                "opened_on": contest.opened_on.isoformat(),
                "status": contest.status,
            }
            for contest in IdentityContest.objects.filter(claimant=user)
            .select_related("process")
            .order_by("pk")
        ],
        "paper_entries_typed": PaperBallotEntry.objects.filter(entered_by=user).count(),
    }


def erase(user):
    registrations = _registrations(user)
    registrations.filter(process__frozen_at__isnull=False).update(
        identity_key=None, account_key=None, notified_at=None
    )
    registrations.update(account_key=None, notified_at=None)

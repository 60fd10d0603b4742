"""What happens when two accounts declare the same person (the declarative mode).

One ballot per person means the second claimant of an identity is refused. So that the real
person is never silently locked out by someone who typed their name and birth date first, the
refusal opens an :class:`~civic_budget.models.IdentityContest` and tells the claimant what
happens next. Budget staff (``decide_identity_contest``) check the claimant's identity outside
the site and decide in the member space: upholding annuls the contested registration and its
ballot, so the claimant can vote; the decided contest is the audit record of that decision.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_budget import identity
from civic_budget.errors import BudgetError
from civic_budget.models import Ballot, IdentityContest, VoterRegistration

DECIDE_PERMISSION = "civic_budget.decide_identity_contest"


def may_decide(user):
    return user is not None and user.is_authenticated and user.has_perm(DECIDE_PERMISSION)


def open_contest(process, registration_id, claimant):
    """The open contest of ``claimant`` against the registration (opened once, however often
    they try)."""
    try:
        with transaction.atomic():
            contest, _created = IdentityContest.objects.get_or_create(
                process=process,
                registration_id=registration_id,
                claimant=claimant,
                status=IdentityContest.OPEN,
            )
    except IntegrityError:
        # A simultaneous attempt of the same claimant opened it.
        contest = IdentityContest.objects.get(
            registration_id=registration_id, claimant=claimant, status=IdentityContest.OPEN
        )
    return contest


def refusal_message(contest):
    return _(
        "A ballot was already cast under this name and date of birth from another account, so "
        "yours was not recorded. If it was not you, nothing more is needed from this page: the "
        "city's budget staff have been told (contest no. %(number)d) and will ask you to prove "
        "your identity; if they uphold your contest, that ballot is annulled and you can vote."
    ) % {"number": contest.pk}


def decide_contest(actor, contest, uphold, note):
    """Uphold (annul the contested registration and its ballot) or dismiss ``contest``."""
    if not may_decide(actor):
        raise BudgetError(
            _("Only the city's budget staff may decide a contest."), BudgetError.FORBIDDEN
        )
    if not note.strip():
        raise BudgetError.for_field("note", _("Explain the decision."))
    with transaction.atomic():
        contest = (
            IdentityContest.objects.select_for_update(of=("self",))
            .select_related("process")
            .get(pk=contest.pk)
        )
        if contest.status != IdentityContest.OPEN:
            raise BudgetError(_("This contest has already been decided."), BudgetError.CONFLICT)
        if uphold:
            _annul(contest)
        contest.status = IdentityContest.UPHELD if uphold else IdentityContest.DISMISSED
        contest.decided_by = actor
        contest.decided_on = timezone.localdate()
        contest.decision_note = note.strip()
        contest.save()
    return contest


def _annul(contest):
    """Delete the contested registration and its ballot, while the ballots are not frozen."""
    if contest.process.frozen_at is not None:
        raise BudgetError(
            _("The ballots are frozen: a ballot can no longer be annulled."),
            BudgetError.CONFLICT,
        )
    registration = (
        VoterRegistration.objects.select_for_update().filter(pk=contest.registration_id).first()
    )
    if registration is None or registration.identity_key is None:
        raise BudgetError(_("The contested ballot no longer exists."), BudgetError.CONFLICT)
    receipt = identity.receipt_key(contest.process_id, registration.identity_key)
    Ballot.objects.filter(process_id=contest.process_id, receipt_key=receipt).delete()
    registration.delete()
    contest.registration = None

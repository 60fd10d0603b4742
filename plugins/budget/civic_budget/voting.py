"""Casting, changing and confirming ballots, online and on paper.

Whatever refuses a ballot raises :class:`BudgetError` with every reason and stores nothing.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_q.tasks import async_task

from civic_budget import ballot_rules, contests, identity, phases
from civic_budget.adapter import birth_date_problem, get_adapter
from civic_budget.app_settings import app_settings
from civic_budget.errors import BudgetError
from civic_budget.models import (
    Ballot,
    BallotChoice,
    PaperBallotEntry,
    Project,
    VoterRegistration,
)
from civic_budget.money import format_money
from civic_core.mail import send_message

PAPER_PERMISSION = "civic_budget.enter_paper_ballots"
# Agents type paper ballots in during the vote and while the votes are counted.
PAPER_PHASES = (phases.VOTE, phases.COUNTING)


@dataclass
class Outcome:
    ballot: Ballot
    changed: bool
    choices: list  # [(project, points)]


def ballot_context(process, residence_zone):
    """Every zone and every project on the ballot of ``process``, and the ids of the zones a
    resident of ``residence_zone`` votes in."""
    voter_zone_ids = get_adapter().voter_zone_ids(process, residence_zone)
    zones = {zone.pk: zone for zone in process.zones.all()}
    projects = {
        project.pk: project
        for project in Project.objects.filter(
            process=process, status__in=Project.BALLOT_STATUSES
        ).select_related("zone")
    }
    return zones, projects, voter_zone_ids


def refusal_message(refusal, zones, projects):
    zone = zones.get(refusal.zone_id)
    zone_name = zone.name if zone else ""
    project = projects.get(refusal.project_id)
    project_name = project.title if project else f"#{refusal.project_id}"
    params = refusal.params
    if refusal.code == "empty":
        return _("Choose at least one project.")
    if refusal.code == "not_on_ballot":
        return _("Project %(project)s is not on this ballot.") % {"project": project_name}
    if refusal.code == "wrong_zone":
        return _("“%(project)s” belongs to a zone you do not vote in.") % {"project": project_name}
    if refusal.code == "invalid_points":
        return _("The points given to “%(project)s” must be a positive whole number.") % {
            "project": project_name
        }
    if refusal.code == "approval_points":
        return _("In %(zone)s you approve projects: give “%(project)s” one vote, not points.") % {
            "zone": zone_name,
            "project": project_name,
        }
    if refusal.code == "over_budget":
        return _(
            "In %(zone)s your projects cost %(cost)s, more than the budget of %(budget)s: "
            "remove a project."
        ) % {
            "zone": zone_name,
            "cost": format_money(params["cost_cents"]),
            "budget": format_money(params["budget_cents"]),
        }
    if refusal.code == "too_few":
        return ngettext(
            "In %(zone)s choose at least %(min)d project (you chose %(count)d).",
            "In %(zone)s choose at least %(min)d projects (you chose %(count)d).",
            params["min"],
        ) % {"zone": zone_name, **params}
    if refusal.code == "too_many":
        return ngettext(
            "In %(zone)s choose at most %(max)d project (you chose %(count)d).",
            "In %(zone)s choose at most %(max)d projects (you chose %(count)d).",
            params["max"],
        ) % {"zone": zone_name, **params}
    if refusal.code == "too_many_points":
        return _("In %(zone)s you gave %(points)d points; you have %(total)d.") % {
            "zone": zone_name,
            **params,
        }
    if refusal.code == "project_points_cap":
        return _("In %(zone)s give “%(project)s” at most %(max)d points.") % {
            "zone": zone_name,
            "project": project_name,
            **params,
        }
    raise ValueError(refusal.code)


def _check(process, declaration, choices, *, paper=False):
    """Everything that must hold before any ballot is stored.

    Returns the residence zone, the age bucket and the projects on the ballot. Residents vote
    online when the phase lets them; agents still type paper ballots in while the votes are
    counted (until the ballots are frozen).
    """
    is_open = process.phase() in PAPER_PHASES if paper else process.resident_may(phases.CAST_VOTE)
    if not is_open:
        raise BudgetError(_("The vote is not open."), code=BudgetError.CONFLICT)
    zone = next((z for z in process.zones.all() if z.pk == declaration.zone_id), None)
    if zone is None:
        raise BudgetError.for_field("zone", _("Choose the district where you live."))
    implausible = birth_date_problem(
        declaration.birth_date, timezone.localdate(), process.age_reference_date
    )
    if implausible:
        raise BudgetError.for_field("birth_date", implausible)
    eligibility = get_adapter().check_eligibility(process, declaration)
    if not eligibility.eligible:
        raise BudgetError(eligibility.reason, code=BudgetError.FORBIDDEN)
    zones, projects, voter_zone_ids = ballot_context(process, zone)
    verdict = ballot_rules.check_ballot(
        choices,
        voter_zone_ids,
        {pk: zones[pk].as_rule() for pk in voter_zone_ids},
        {
            pk: ballot_rules.BallotProject(pk, project.zone_id, project.cost_cents, project.title)
            for pk, project in projects.items()
        },
    )
    if not verdict.accepted:
        raise BudgetError.for_field(
            "choices", *[refusal_message(refusal, zones, projects) for refusal in verdict.refusals]
        )
    return zone, eligibility.age_bucket, projects


def _store_ballot(
    process, identity_key, zone, age_bucket, choices, projects, method, *, new_voter, place=None
):
    """Create or replace the ballot; its choices are kept on ``ballot.counted_choices``."""
    receipt = identity.receipt_key(process.pk, identity_key)
    ballot = None
    if not new_voter:
        ballot = (
            Ballot.objects.select_for_update().filter(process=process, receipt_key=receipt).first()
        )
    changed = ballot is not None
    if ballot is None:
        ballot = Ballot(process=process, receipt_key=receipt, version=0)
    ballot.zone = zone
    ballot.age_bucket = age_bucket
    ballot.method = method
    ballot.polling_place = place
    ballot.version += 1
    ballot.save()
    if changed:
        ballot.choices.all().delete()
    ballot.counted_choices = BallotChoice.objects.bulk_create(
        BallotChoice(ballot=ballot, project=projects[project_id], points=points)
        for project_id, points in sorted(choices.items())
    )
    return ballot, changed


def submit_online_ballot(user, process, declaration, choices, verified=None):
    """Cast or replace the ballot of the signed-in ``user``; the last one counts.

    ``verified`` is the session's ``civic_core.identity.VerifiedIdentity`` (or None): its name
    and birth date replace the declared ones and the registration is keyed on its provider and
    subject. A declared identity already registered from another account opens an
    :class:`~civic_budget.models.IdentityContest` for staff to decide, and the ballot is refused.
    """
    if not user.is_authenticated:
        raise BudgetError(_("Sign in to vote."), code=BudgetError.FORBIDDEN)
    adapter = get_adapter()
    if verified is not None:
        declaration = adapter.verified_declaration(verified, declaration)
        identity_text = adapter.verified_identity(verified)
    elif app_settings.REQUIRE_VERIFIED_IDENTITY:
        raise BudgetError(
            _("Sign in with your identity provider to vote."), code=BudgetError.FORBIDDEN
        )
    else:
        identity_text = adapter.identity(declaration)
    zone, age_bucket, projects = _check(process, declaration, choices)
    identity_key = identity.identity_key(process.pk, identity_text)
    account_key = identity.account_key(process.pk, user.pk)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                ballot, changed, notify = _cast_online(
                    process,
                    identity_key,
                    account_key,
                    zone,
                    age_bucket,
                    choices,
                    projects,
                    verified=verified is not None,
                )
            break
        except IntegrityError:
            # Another request of the same person registered first: replay as a change.
            continue
        except _IdentityInUse as taken:
            if verified is not None:
                raise BudgetError(
                    _("This person has already voted with another account."),
                    code=BudgetError.CONFLICT,
                ) from None
            contest = contests.open_contest(process, taken.registration_id, user)
            raise BudgetError(
                contests.refusal_message(contest), code=BudgetError.CONFLICT
            ) from None
    else:
        raise BudgetError(
            _("Your ballot could not be recorded; try again."), code=BudgetError.CONFLICT
        )
    if notify:
        recipients = adapter.confirmation_recipients(user)
        if recipients:
            transaction.on_commit(
                lambda: async_task(
                    "civic_budget.tasks.send_ballot_confirmation", process.pk, recipients, changed
                )
            )
    chosen = [(projects[pk], points) for pk, points in sorted(choices.items())]
    return Outcome(ballot, changed, chosen)


class _IdentityInUse(Exception):
    """The identity is registered from another account (raised inside the transaction)."""

    def __init__(self, registration_id):
        super().__init__(registration_id)
        self.registration_id = registration_id


def _cast_online(
    process, identity_key, account_key, zone, age_bucket, choices, projects, *, verified
):
    """Store the ballot; returns it, whether it replaced one, and whether to e-mail the voter
    (the first ballot always, a change at most once per ``CONFIRMATION_INTERVAL_MINUTES``)."""
    found = list(
        VoterRegistration.objects.select_for_update().filter(
            Q(identity_key=identity_key) | Q(account_key=account_key), process=process
        )
    )
    registration = next((r for r in found if r.identity_key == identity_key), None)
    new_voter = registration is None
    if new_voter:
        if found:
            raise BudgetError(
                _("This account has already voted for another person."),
                code=BudgetError.CONFLICT,
            )
        registration = VoterRegistration.objects.create(
            process=process,
            identity_key=identity_key,
            account_key=account_key,
            verified=verified,
            method=VoterRegistration.ONLINE,
        )
    elif registration.method == VoterRegistration.PAPER:
        raise BudgetError(
            _("You have already voted on paper at a polling place."), code=BudgetError.CONFLICT
        )
    elif registration.account_key != account_key:
        raise _IdentityInUse(registration.pk)
    ballot, changed = _store_ballot(
        process,
        identity_key,
        zone,
        age_bucket,
        choices,
        projects,
        VoterRegistration.ONLINE,
        new_voter=new_voter,
    )
    now = timezone.now()
    interval = timedelta(minutes=app_settings.CONFIRMATION_INTERVAL_MINUTES)
    notify = app_settings.SEND_CONFIRMATION_EMAIL and (
        registration.notified_at is None or registration.notified_at <= now - interval
    )
    if notify:
        registration.notified_at = now
        registration.save(update_fields=["notified_at"])
    return ballot, changed, notify


def current_ballot(user, process):
    """The ballot that counts for ``user`` in ``process``, or None."""
    if not user.is_authenticated:
        return None
    registration = VoterRegistration.objects.filter(
        process=process, account_key=identity.account_key(process.pk, user.pk)
    ).first()
    if registration is None:
        return None
    ballot = Ballot.objects.filter(
        process=process, receipt_key=identity.receipt_key(process.pk, registration.identity_key)
    ).first()
    if ballot is not None:
        ballot.counted_choices = list(
            ballot.choices.select_related("project").order_by("project_id")
        )
    return ballot


def send_confirmation(process, recipients, changed):
    """Tell the voter THAT their ballot was recorded or changed, never what it holds: an
    e-mail is read by whoever reads the mailbox. The choices are on the ballot page only."""
    send_message(
        "civic_budget/email/ballot_confirmation",
        {"process": process, "changed": changed},
        recipients,
    )


# Paper ballots


def _require_place(agent, polling_place):
    if not (agent.is_authenticated and agent.has_perm(PAPER_PERMISSION, polling_place)):
        raise BudgetError(
            _("You may enter paper ballots only for your polling place."),
            code=BudgetError.FORBIDDEN,
        )


def enter_paper_ballot(agent, polling_place, declaration, choices):
    """First entry of a paper ballot: checked in full, stored only as keyed digests."""
    process = polling_place.process
    _require_place(agent, polling_place)
    if process.frozen_at is not None:
        raise BudgetError(_("The ballots are frozen."), code=BudgetError.CONFLICT)
    zone, age_bucket, _projects = _check(process, declaration, choices, paper=True)
    identity_key = identity.identity_key(process.pk, get_adapter().identity(declaration))
    with transaction.atomic():
        _refuse_duplicate(process, identity_key)
        if PaperBallotEntry.objects.filter(
            process=process, identity_key=identity_key, status=PaperBallotEntry.AWAITING
        ).exists():
            raise BudgetError(
                _("A paper ballot of this person is already awaiting confirmation."),
                code=BudgetError.CONFLICT,
            )
        return PaperBallotEntry.objects.create(
            process=process,
            polling_place=polling_place,
            entered_by=agent,
            identity_key=identity_key,
            entry_digest=identity.paper_entry_digest(
                process.pk, identity_key, zone.pk, age_bucket, choices
            ),
        )


def _refuse_duplicate(process, identity_key):
    registration = VoterRegistration.objects.filter(
        process=process, identity_key=identity_key
    ).first()
    if registration is not None:
        raise BudgetError(
            _("This person has already voted (%(method)s).")
            % {"method": registration.get_method_display()},
            code=BudgetError.CONFLICT,
        )


def confirm_paper_ballot(agent, entry, declaration, choices):
    """Second, blind entry by another agent; the ballot exists only when both entries match."""
    _require_place(agent, entry.polling_place)
    process = entry.process
    zone, age_bucket, projects = _check(process, declaration, choices, paper=True)
    identity_key = identity.identity_key(process.pk, get_adapter().identity(declaration))
    digest = identity.paper_entry_digest(process.pk, identity_key, zone.pk, age_bucket, choices)
    mismatch = duplicate = False
    with transaction.atomic():
        entry = (
            PaperBallotEntry.objects.select_for_update(of=("self",))
            .select_related("process")
            .get(pk=entry.pk)
        )
        if entry.process.frozen_at is not None:
            raise BudgetError(_("The ballots are frozen."), code=BudgetError.CONFLICT)
        if entry.status != PaperBallotEntry.AWAITING:
            raise BudgetError(
                _("This entry is no longer awaiting confirmation."), code=BudgetError.CONFLICT
            )
        if entry.entered_by_id == agent.pk:
            raise BudgetError(
                _("A second agent must confirm the ballot you entered."),
                code=BudgetError.FORBIDDEN,
            )
        if digest != entry.entry_digest:
            entry.mismatches += 1
            entry.save(update_fields=["mismatches"])
            mismatch = True
        else:
            entry.confirmed_by = agent
            entry.confirmed_at = timezone.now()
            duplicate = not _register_paper_voter(process, identity_key)
            if duplicate:
                entry.status = PaperBallotEntry.DUPLICATE
            else:
                ballot, _changed = _store_ballot(
                    process,
                    identity_key,
                    zone,
                    age_bucket,
                    choices,
                    projects,
                    VoterRegistration.PAPER,
                    new_voter=True,
                    place=entry.polling_place,
                )
                entry.status = PaperBallotEntry.CONFIRMED
            entry.save()
    if mismatch:
        raise BudgetError(
            _("This entry does not match the first one: check the paper ballot and type it again."),
            code=BudgetError.CONFLICT,
        )
    if duplicate:
        raise BudgetError(
            _("This person has already voted; the paper ballot is set aside as a duplicate."),
            code=BudgetError.CONFLICT,
        )
    return Outcome(
        ballot, False, [(projects[pk], points) for pk, points in sorted(choices.items())]
    )


def _register_paper_voter(process, identity_key):
    """False when the person has voted already, online or on paper (even a moment ago)."""
    if VoterRegistration.objects.filter(process=process, identity_key=identity_key).exists():
        return False
    try:
        with transaction.atomic():
            VoterRegistration.objects.create(
                process=process, identity_key=identity_key, method=VoterRegistration.PAPER
            )
    except IntegrityError:
        return False
    return True


@transaction.atomic
def cancel_paper_entry(agent, entry):
    entry = PaperBallotEntry.objects.select_for_update().get(pk=entry.pk)
    _require_place(agent, entry.polling_place)
    if entry.status != PaperBallotEntry.AWAITING:
        raise BudgetError(
            _("This entry is no longer awaiting confirmation."), code=BudgetError.CONFLICT
        )
    entry.status = PaperBallotEntry.CANCELLED
    entry.save(update_fields=["status"])
    return entry

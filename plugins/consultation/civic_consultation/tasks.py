"""Background work of the consultation plugin, run by the django-q2 cluster.

numpy (the ``consultation`` extra) is imported by the tasks that use it, not when the module
loads: ``apps.ready`` loads this module, and a site without the extra must start far enough
for the system check to name it.

The opinion groups and address-range schedules are kept in step with the plugin's migrations
by :func:`ensure_schedules` (a post_migrate receiver connected in apps.py).
"""

import time
from array import array
from datetime import timedelta

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Q
from django.utils import timezone

from civic_consultation import ranges, scoring
from civic_consultation.adapter import get_adapter
from civic_consultation.app_settings import app_settings
from civic_consultation.models import (
    Consultation,
    IdentityLevelCount,
    OpinionGroup,
    OpinionGroupRun,
    OpinionGroupVotes,
    OpinionProposalScore,
    Participant,
    Vote,
)
from civic_consultation.results import PUBLIC_STATUSES

# The daily retention task (``RETENTION_SCHEDULE_FUNC``) is the service itself.
from civic_consultation.services.privacy import purge_expired_identities  # noqa: F401
from civic_core.schedules import ScheduleSpec, sync_schedules

SCHEDULE_NAME = "civic_consultation: opinion groups"
SCHEDULE_FUNC = "civic_consultation.tasks.compute_opinion_groups"
RANGE_SCHEDULE_NAME = "civic_consultation: address-range cap"
RANGE_SCHEDULE_FUNC = "civic_consultation.tasks.cap_address_ranges"
RETENTION_SCHEDULE_NAME = "civic_consultation: identity retention"
RETENTION_SCHEDULE_FUNC = "civic_consultation.tasks.purge_expired_identities"
RETENTION_MINUTES = 24 * 60
IDENTITY_LEVELS = tuple(Participant.IdentityLevel.values)
STREAM_CHUNK = 20_000
BULK_BATCH = 2_000


def opinion_settings():
    """The OPINION_GROUPS setting, a site's partial override completed by the defaults."""
    return app_settings.OPINION_GROUPS


def compute_opinion_groups(consultation_id=None):
    """Store a new opinion group run for one consultation, or for every open one; returns the
    number of participants placed in groups per consultation id (None: too few)."""
    if consultation_id is None:
        consultations = Consultation.objects.filter(status=Consultation.Status.OPEN)
    else:
        consultations = Consultation.objects.filter(pk=consultation_id)
    summary = {}
    for consultation in consultations:
        run = compute_for(consultation)
        summary[consultation.pk] = run.participants if run.group_count else None
    return summary


def cap_address_ranges(consultation_id=None):
    """Weigh down, in the ranking, the votes of address ranges over-represented among a
    proposal's votes (ranges.py), for one consultation, or for every open one and those that
    closed within the last day (their last votes came after the last run); returns the ids of
    the proposals whose weights changed, per consultation id."""
    if consultation_id is None:
        consultations = Consultation.objects.filter(
            Q(status=Consultation.Status.OPEN)
            | Q(closes_at__gte=timezone.now() - timedelta(days=1))
        ).exclude(status=Consultation.Status.DRAFT)
    else:
        consultations = Consultation.objects.filter(pk=consultation_id)
    return {consultation.pk: ranges.refresh(consultation) for consultation in consultations}


def compute_for(consultation):
    """Read the votes, compute the groups and store them as the consultation's latest run."""
    from civic_consultation import opinion  # numpy: the consultation extra

    started = time.perf_counter()
    config = opinion_settings()
    parameters = opinion.Parameters(
        min_votes=config["MIN_VOTES"],
        min_participants=config["MIN_PARTICIPANTS"],
        max_groups=config["MAX_GROUPS"],
        min_group_votes=config["MIN_GROUP_VOTES"],
    )
    votes = _read_votes(consultation)
    result = opinion.compute(
        votes["participants"],
        votes["proposals"],
        votes["values"],
        previous=_previous_groups(consultation),
        parameters=parameters,
    )
    identity_counts = _identity_counts(votes)
    duration_ms = round(1000 * (time.perf_counter() - started))
    with transaction.atomic():
        run = _store(consultation, result, identity_counts, votes, duration_ms)
        stale = OpinionGroupRun.objects.filter(consultation=consultation).values_list(
            "pk", flat=True
        )[config["KEEP_RUNS"] :]
        OpinionGroupRun.objects.filter(pk__in=list(stale)).delete()
    return run


def _read_votes(consultation):
    """The trusted votes that count for the ranking, streamed into compact arrays.

    Votes on cards opened by a shared link are left out: a brigade sharing one link would
    otherwise form a group of its own and veto every bridging score."""
    rows = (
        Vote.objects.counted()
        .filter(
            proposal__consultation=consultation,
            proposal__status__in=PUBLIC_STATUSES,
            participant__excluded=False,
        )
        .order_by()
        .values_list("participant_id", "proposal_id", "value", "participant__identity_level")
    )
    participants, proposals = array("q"), array("q")
    values, levels = array("b"), array("b")
    level_codes = {level: code for code, level in enumerate(IDENTITY_LEVELS)}
    vote_codes = _vote_codes()
    for participant_id, proposal_id, value, level in rows.iterator(chunk_size=STREAM_CHUNK):
        participants.append(participant_id)
        proposals.append(proposal_id)
        values.append(vote_codes[value])
        levels.append(level_codes.get(level, 0))
    return {
        "participants": participants,
        "proposals": proposals,
        "values": values,
        "levels": levels,
    }


def _vote_codes():
    """What each stored vote value is in the opinion matrix."""
    from civic_consultation import opinion

    return {
        scoring.AGREE: opinion.AGREE,
        scoring.DISAGREE: opinion.DISAGREE,
        scoring.NEUTRAL: opinion.NEUTRAL,
    }


def _previous_groups(consultation):
    """The groups of the latest run that had groups, as their votes per proposal."""
    import numpy as np

    from civic_consultation import opinion

    run = (
        OpinionGroupRun.objects.filter(consultation=consultation, group_count__gt=0)
        .only("pk")
        .first()
    )
    if run is None:
        return ()
    per_group = {}
    rows = OpinionGroupVotes.objects.filter(group__run=run).values_list(
        "group__number", "proposal_id", "agree", "disagree", "seen"
    )
    for number, *counts in rows.iterator(chunk_size=STREAM_CHUNK):
        per_group.setdefault(number, []).append(counts)
    # Each group's rows, transposed into the arrays PreviousGroup holds.
    return tuple(
        opinion.PreviousGroup(number, *(np.array(column) for column in zip(*counts, strict=True)))
        for number, counts in sorted(per_group.items())
    )


def _identity_counts(votes):
    """{(proposal_id, identity level): (agree, disagree, neutral)} of all the counted votes,
    whatever the participant's number of votes."""
    import numpy as np

    from civic_consultation import opinion

    proposals = np.frombuffer(votes["proposals"], dtype=np.int64)
    if not proposals.size:
        return {}
    ids, columns = np.unique(proposals, return_inverse=True)
    levels = np.frombuffer(votes["levels"], dtype=np.int8).astype(np.int64)
    values = np.frombuffer(votes["values"], dtype=np.int8)
    cells = columns * len(IDENTITY_LEVELS) + levels
    size = ids.size * len(IDENTITY_LEVELS)
    counts = [
        np.bincount(cells, values == code, size).astype(np.int64)
        for code in (opinion.AGREE, opinion.DISAGREE, opinion.NEUTRAL)
    ]
    found = {}
    for cell in np.flatnonzero(counts[0] + counts[1] + counts[2]):
        proposal = int(ids[cell // len(IDENTITY_LEVELS)])
        level = IDENTITY_LEVELS[cell % len(IDENTITY_LEVELS)]
        found[(proposal, level)] = tuple(int(count[cell]) for count in counts)
    return found


def _store(consultation, result, identity_counts, votes, duration_ms):
    import numpy as np

    from civic_consultation import opinion

    run = OpinionGroupRun.objects.create(
        consultation=consultation,
        computed_at=timezone.now(),
        participants=result.participants if result else 0,
        votes=result.votes if result else 0,
        group_count=result.k if result else 0,
        silhouette=result.silhouette if result else 0.0,
        algorithm_version=opinion.ALGORITHM_VERSION,
        duration_ms=duration_ms,
    )
    z = get_adapter().thresholds(consultation).z
    IdentityLevelCount.objects.bulk_create(
        (
            IdentityLevelCount(
                run=run,
                proposal_id=proposal_id,
                identity_level=level,
                agree=agree,
                disagree=disagree,
                neutral=neutral,
                agree_low=scoring.agresti_coull(agree, agree + disagree + neutral, z)[0],
            )
            for (proposal_id, level), (agree, disagree, neutral) in identity_counts.items()
        ),
        batch_size=BULK_BATCH,
    )
    if result is None:
        return run
    groups = OpinionGroup.objects.bulk_create(
        OpinionGroup(run=run, number=group.number, size=group.size, x=x, y=y)
        for group in result.groups
        for x, y in (group.centroid,)
    )
    proposal_ids = result.proposal_ids.tolist()
    OpinionGroupVotes.objects.bulk_create(
        (
            OpinionGroupVotes(
                group=stored,
                proposal_id=proposal_ids[j],
                agree=int(group.agree[j]),
                disagree=int(group.disagree[j]),
                seen=int(group.seen[j]),
                **representatives.get(proposal_ids[j], {}),
            )
            for stored, group in zip(groups, result.groups, strict=True)
            for representatives in (_representative_fields(group),)
            for j in np.flatnonzero(group.seen)
        ),
        batch_size=BULK_BATCH,
    )
    OpinionProposalScore.objects.bulk_create(
        (
            OpinionProposalScore(run=run, proposal_id=proposal_ids[j], bridging=float(score))
            for j, score in enumerate(result.bridging)
            if not np.isnan(score)
        ),
        batch_size=BULK_BATCH,
    )
    return run


def _representative_fields(group):
    return {
        item.proposal_id: {
            "representative_rank": rank,
            "direction": item.direction,
            "rate": item.rate,
            "ratio": item.ratio,
        }
        for rank, item in enumerate(group.representatives, start=1)
    }


def schedules():
    """The plugin's schedules, with the intervals the settings give."""
    return (
        ScheduleSpec(SCHEDULE_NAME, SCHEDULE_FUNC, opinion_settings()["REFRESH_MINUTES"]),
        ScheduleSpec(RANGE_SCHEDULE_NAME, RANGE_SCHEDULE_FUNC, app_settings.ADDRESS_RANGE_MINUTES),
        ScheduleSpec(RETENTION_SCHEDULE_NAME, RETENTION_SCHEDULE_FUNC, RETENTION_MINUTES),
    )


def ensure_schedules(sender=None, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate receiver: the schedules kept in step with the plugin's migrations
    (``civic_core.schedules``); running it again changes nothing."""
    sync_schedules("civic_consultation", schedules(), using)

"""Results of a consultation, read from counters and indexed score columns (never a scan of
the votes): top ideas, controversial and rejected proposals, per theme and per segment; and,
from the latest stored opinion group run (tasks.py), the groups, the bridging ranking and the
results per identity level."""

from django.db.models import F, Sum, Window
from django.db.models.functions import RowNumber

from civic_consultation import scoring
from civic_consultation.adapter import get_adapter
from civic_consultation.models import (
    IdentityLevelCount,
    OpinionGroup,
    OpinionGroupRun,
    OpinionGroupVotes,
    OpinionProposalScore,
    Participant,
    Proposal,
    SegmentCounter,
)

TESTED_POOLS = (scoring.POOL_SAMPLING, scoring.POOL_RETIRED)
RESULT_FIELDS = (
    "pk",
    "text",
    "theme_id",
    "idea_id",
    "untrusted_agree",
    "untrusted_disagree",
    "untrusted_neutral",
    *scoring.COUNT_NAMES,
    *scoring.SHARED_NAMES,
    "range_excess",
)


def _ranked(consultation):
    """Proposals with enough trusted votes to be ranked."""
    return Proposal.objects.filter(
        consultation=consultation,
        status__in=(Proposal.Status.ACCEPTED, Proposal.Status.ARCHIVED),
        pool__in=TESTED_POOLS,
    )


def describe(row, thresholds):
    """One ranked proposal: its trusted votes, and its scores from the same weighted counts
    its place in the lists comes from (shared-link votes and capped address ranges weighed
    down, ``scoring.ranking_counts``)."""
    counts = scoring.Counts(**{name: row[name] for name in scoring.COUNT_NAMES})
    ranking = scoring.ranking_counts(
        counts,
        scoring.shared_counts(row),
        thresholds,
        excess=row["range_excess"].get("amounts"),
    )
    summary = {**scoring.summary(ranking, thresholds), "votes": counts.total}
    return {
        "id": row["pk"],
        "text": row["text"],
        "theme": row["theme_id"],
        "idea": row["idea_id"],
        "qualifications": {name: row[name] for name in scoring.ALL_QUALIFICATIONS},
        "untrusted_votes": row["untrusted_agree"]
        + row["untrusted_disagree"]
        + row["untrusted_neutral"],
        **summary,
        "zone_label": str(Proposal.Zone(summary["zone"]).label),
    }


def overview(consultation, limit=10):
    thresholds = get_adapter().thresholds(consultation)
    ranked = _ranked(consultation).values(*RESULT_FIELDS)
    top = ranked.order_by("-top_score_low", "pk")[:limit]
    contested = ranked.filter(zone=scoring.ZONE_CONTROVERSY).order_by("-controversy_low", "pk")[
        :limit
    ]
    rejected = ranked.filter(zone=scoring.ZONE_REJECTION).order_by("-rejection_low", "pk")[:limit]
    by_theme = (
        ranked.filter(theme__isnull=False)
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("theme_id")], order_by=[F("top_score_low").desc()]
            )
        )
        .filter(rank__lte=3)
        .order_by("theme_id", "rank")
    )
    themes = {theme.pk: theme.name for theme in consultation.themes.all()}
    per_theme = {pk: [] for pk in themes}
    for row in by_theme:
        per_theme[row["theme_id"]].append(describe(row, thresholds))
    return {
        "counters": {**consultation.counters(), "vote_target": consultation.vote_target},
        "top": [describe(row, thresholds) for row in top],
        "controversial": [describe(row, thresholds) for row in contested],
        "rejected": [describe(row, thresholds) for row in rejected],
        "themes": [{"id": pk, "name": name, "top": per_theme[pk]} for pk, name in themes.items()],
        "min_exposure": thresholds.min_exposure,
        "opinion": opinion_groups(consultation, limit),
    }


SEGMENT_DIMENSIONS = {
    "age_range": dict(Participant.AgeRange.choices),
    "district": None,
}


def segments(consultation, dimension, limit=5):
    """Per segment value, the proposals its participants support most (lower bound of the
    agree rate within the segment)."""
    thresholds = get_adapter().thresholds(consultation)
    rows = (
        SegmentCounter.objects.filter(
            proposal__consultation=consultation,
            proposal__status__in=(Proposal.Status.ACCEPTED, Proposal.Status.ARCHIVED),
            dimension=dimension,
        )
        .values("value", "proposal_id", "proposal__text", *scoring.COUNT_NAMES)
        .order_by("value", "proposal_id")
    )
    labels = SEGMENT_DIMENSIONS.get(dimension) or {}
    grouped = {}
    for row in rows:
        counts = scoring.Counts(**{name: row[name] for name in scoring.COUNT_NAMES})
        low, _high = scoring.agresti_coull(counts.agree, counts.total, thresholds.z)
        entry = grouped.setdefault(
            row["value"],
            {
                "value": row["value"],
                "label": str(labels.get(row["value"], row["value"])),
                "votes": 0,
                "top": [],
            },
        )
        entry["votes"] += counts.total
        entry["top"].append(
            {
                "id": row["proposal_id"],
                "text": row["proposal__text"],
                "agree_low": round(low, 4),
                **scoring.summary(counts, thresholds),
            }
        )
    for entry in grouped.values():
        entry["top"].sort(key=lambda item: (-item["agree_low"], item["id"]))
        del entry["top"][limit:]
    return list(grouped.values())


PUBLIC_STATUSES = (Proposal.Status.ACCEPTED, Proposal.Status.ARCHIVED)


def opinion_groups(consultation, limit=10):
    """The latest opinion group run in a fixed number of queries: its groups with their
    representative proposals, the bridging ranking and the results per identity level. Only
    group sizes and group totals: nothing tells who is in which group."""
    run = (
        OpinionGroupRun.objects.filter(consultation=consultation)
        .order_by("-computed_at", "-pk")
        .first()
    )
    empty = {
        "computed_at": None,
        "participants": 0,
        "votes": 0,
        "silhouette": None,
        "algorithm_version": "",
        "groups": [],
        "bridging": [],
        "identity_levels": [],
    }
    if run is None:
        return empty
    groups = list(OpinionGroup.objects.filter(run=run).order_by("number"))
    placed = sum(group.size for group in groups)
    representatives = (
        OpinionGroupVotes.objects.filter(
            group__run=run,
            representative_rank__isnull=False,
            proposal__status__in=PUBLIC_STATUSES,
        )
        .order_by("group_id", "representative_rank")
        .values("group_id", "proposal_id", "proposal__text", "direction", "rate", "ratio")
    )
    per_group = {group.pk: [] for group in groups}
    directions = dict(OpinionGroupVotes.Direction.choices)
    for row in representatives:
        per_group[row["group_id"]].append(
            {
                "id": row["proposal_id"],
                "text": row["proposal__text"],
                "direction": row["direction"],
                "direction_label": str(directions[row["direction"]]),
                "rate": round(row["rate"], 4),
                "ratio": round(row["ratio"], 4),
            }
        )
    return {
        **empty,
        "computed_at": run.computed_at,
        "participants": run.participants,
        "votes": run.votes,
        "silhouette": round(run.silhouette, 4) if groups else None,
        "algorithm_version": run.algorithm_version,
        "groups": [
            {
                "number": group.number,
                "letter": group.letter,
                "size": group.size,
                "share": round(group.size / placed, 4),
                "centroid": [round(group.x, 4), round(group.y, 4)],
                "representative": per_group[group.pk],
            }
            for group in groups
        ],
        "bridging": _bridging(run, groups, limit),
        "identity_levels": _identity_levels(run, consultation),
    }


def _bridging(run, groups, limit):
    """Proposals ranked by the smoothed agree rate of their least convinced group, with each
    group's agree share."""
    top = list(
        OpinionProposalScore.objects.filter(run=run, proposal__status__in=PUBLIC_STATUSES)
        .order_by("-bridging", "proposal_id")
        .values("proposal_id", "proposal__text", "bridging")[:limit]
    )
    letters = {group.pk: group.letter for group in groups}
    shares = {}
    rows = OpinionGroupVotes.objects.filter(
        group__run=run, proposal_id__in=[row["proposal_id"] for row in top]
    ).values("group_id", "proposal_id", "agree", "seen")
    for row in rows:
        shares.setdefault(row["proposal_id"], {})[letters[row["group_id"]]] = round(
            row["agree"] / row["seen"], 4
        )
    return [
        {
            "id": row["proposal_id"],
            "text": row["proposal__text"],
            "score": round(row["bridging"], 4),
            "agree_share_by_group": [
                {"group": letter, "agree_share": shares.get(row["proposal_id"], {}).get(letter)}
                for letter in letters.values()
            ],
        }
        for row in top
    ]


def _identity_levels(run, consultation, limit=5):
    """Per identity level of the voters (cookie, e-mail, account), their votes and the
    proposals they support most: a campaign of throw-away sessions shows as a gap between
    the levels."""
    thresholds = get_adapter().thresholds(consultation)
    counts = IdentityLevelCount.objects.filter(run=run, proposal__status__in=PUBLIC_STATUSES)
    totals = {
        row["identity_level"]: (row["agree"] or 0) + (row["disagree"] or 0) + (row["neutral"] or 0)
        for row in counts.values("identity_level")
        .order_by("identity_level")
        .annotate(agree=Sum("agree"), disagree=Sum("disagree"), neutral=Sum("neutral"))
    }
    top = (
        counts.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("identity_level")],
                order_by=[F("agree_low").desc(), F("proposal_id").asc()],
            )
        )
        .filter(rank__lte=limit)
        .order_by("identity_level", "rank")
        .values("identity_level", "proposal_id", "proposal__text", "agree_low", *scoring.VALUES)
    )
    per_level = {level: [] for level in totals}
    for row in top:
        level_counts = scoring.Counts(**{name: row[name] for name in scoring.VALUES})
        per_level[row["identity_level"]].append(
            {
                "id": row["proposal_id"],
                "text": row["proposal__text"],
                "agree_low": round(row["agree_low"], 4),
                **scoring.summary(level_counts, thresholds),
            }
        )
    return [
        {"value": level, "label": str(label), "votes": totals[level], "top": per_level[level]}
        for level, label in Participant.IdentityLevel.choices
        if level in totals
    ]

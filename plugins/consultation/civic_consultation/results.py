"""Results of a consultation, read from counters and indexed score columns (never a scan of
the votes): top ideas, controversial and rejected proposals, per theme and per segment."""

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from civic_consultation import scoring
from civic_consultation.adapter import get_adapter
from civic_consultation.models import Participant, Proposal, SegmentCounter

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
)


def _ranked(consultation):
    """Proposals with enough trusted votes to be ranked."""
    return Proposal.objects.filter(
        consultation=consultation,
        status__in=(Proposal.Status.ACCEPTED, Proposal.Status.ARCHIVED),
        pool__in=TESTED_POOLS,
    )


def describe(row, thresholds):
    counts = scoring.Counts(**{name: row[name] for name in scoring.COUNT_NAMES})
    summary = scoring.summary(counts, thresholds)
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

"""The phases of a budget process as a pure function of its dates (no Django import)."""

from dataclasses import dataclass
from datetime import datetime

UPCOMING = "upcoming"
IDEAS = "ideas"
REVIEW = "review"
VOTE = "vote"
COUNTING = "counting"
RESULTS = "results"
IMPLEMENTATION = "implementation"

PHASE_ORDER = (UPCOMING, IDEAS, REVIEW, VOTE, COUNTING, RESULTS, IMPLEMENTATION)

# What residents may do or see; the pages, the API and the services all ask resident_may().
SUBMIT_IDEA = "submit_idea"
CAST_VOTE = "vote"
SEE_TURNOUT = "see_turnout"
SEE_RESULTS = "see_results"

# What residents may do in each phase; staff actions are checked by the workflow itself. While
# the votes are counted, the turnout is public but the results (tallies, outcomes, the projects
# being implemented) wait for their publication date.
RESIDENT_ACTIONS = {
    UPCOMING: frozenset(),
    IDEAS: frozenset({SUBMIT_IDEA}),
    REVIEW: frozenset(),
    VOTE: frozenset({CAST_VOTE}),
    COUNTING: frozenset({SEE_TURNOUT}),
    RESULTS: frozenset({SEE_RESULTS, SEE_TURNOUT}),
    IMPLEMENTATION: frozenset({SEE_RESULTS, SEE_TURNOUT}),
}


@dataclass(frozen=True)
class Schedule:
    """Start of each phase; each phase lasts until the next one starts."""

    ideas_open: datetime
    review_open: datetime
    vote_open: datetime
    vote_close: datetime
    results_published: datetime
    implementation_start: datetime

    def problems(self):
        """Names of the dates that are not in chronological order."""
        ordered = [
            ("ideas_open", self.ideas_open),
            ("review_open", self.review_open),
            ("vote_open", self.vote_open),
            ("vote_close", self.vote_close),
            ("results_published", self.results_published),
            ("implementation_start", self.implementation_start),
        ]
        return [
            name
            for (_previous, before), (name, after) in zip(ordered, ordered[1:], strict=False)
            if after < before
        ]


def current_phase(schedule, now):
    """The phase at ``now``: the vote is open on [vote_open, vote_close)."""
    if now < schedule.ideas_open:
        return UPCOMING
    if now < schedule.review_open:
        return IDEAS
    if now < schedule.vote_open:
        return REVIEW
    if now < schedule.vote_close:
        return VOTE
    if now < schedule.results_published:
        return COUNTING
    if now < schedule.implementation_start:
        return RESULTS
    return IMPLEMENTATION


def resident_may(schedule, now, action):
    """Whether residents may do ``action`` at ``now`` (one of the names above)."""
    return action in RESIDENT_ACTIONS[current_phase(schedule, now)]


def vote_has_closed(schedule, now):
    return now >= schedule.vote_close

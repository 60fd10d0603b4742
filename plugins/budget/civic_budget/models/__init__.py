"""Models of the budget plugin, one module per concern, all importable from here.

- :mod:`.process`: an edition of the budget, its zones and polling places;
- :mod:`.projects`: projects, their timeline events and milestones;
- :mod:`.ballots`: voter registrations, anonymous ballots and paper ballot entries;
- :mod:`.contests`: contests of a declared identity and their decisions;
- :mod:`.zone_results`: the counted outcome of each zone;
- :mod:`.pages`: the Wagtail page that serves a process to residents.
"""

from civic_budget.models.ballots import Ballot, BallotChoice, PaperBallotEntry, VoterRegistration
from civic_budget.models.contests import IdentityContest
from civic_budget.models.pages import BudgetPage
from civic_budget.models.process import (
    COUNTING_RULE_CHOICES,
    PollingPlace,
    PollingPlaceGroupObjectPermission,
    PollingPlaceUserObjectPermission,
    Process,
    Zone,
)
from civic_budget.models.projects import (
    INTERNAL,
    MEMBERS,
    PUBLIC,
    VISIBILITY_CHOICES,
    Milestone,
    Project,
    ProjectEvent,
    ProjectGroupObjectPermission,
    ProjectQuerySet,
    ProjectUserObjectPermission,
)
from civic_budget.models.zone_results import ZoneResult

__all__ = [
    "COUNTING_RULE_CHOICES",
    "INTERNAL",
    "MEMBERS",
    "PUBLIC",
    "VISIBILITY_CHOICES",
    "Ballot",
    "BallotChoice",
    "BudgetPage",
    "IdentityContest",
    "Milestone",
    "PaperBallotEntry",
    "PollingPlace",
    "PollingPlaceGroupObjectPermission",
    "PollingPlaceUserObjectPermission",
    "Process",
    "Project",
    "ProjectEvent",
    "ProjectGroupObjectPermission",
    "ProjectQuerySet",
    "ProjectUserObjectPermission",
    "VoterRegistration",
    "Zone",
    "ZoneResult",
]

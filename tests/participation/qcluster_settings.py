"""Settings of the real `qcluster` processes started by the end-to-end reminder test.

The full test site, with the cluster really asynchronous and polling fast. Volunteers may be
e-mailed at any hour so the test does not depend on when it runs; the council escalation is
pushed out so the one e-mail expected is the council's reminder.
"""

from tests.settings.full import *  # noqa: F403
from tests.settings.full import Q_CLUSTER

# Two workers: test_reminder_cluster.Q_WORKERS counts on it to tell when a cluster is up.
Q_CLUSTER = {**Q_CLUSTER, "sync": False, "workers": 2, "poll": 0.2, "guard_cycle": 0.2}
CIVIC_PARTICIPATION_VOLUNTEER_EMAIL_HOURS = (0, 24)
CIVIC_PARTICIPATION_COUNCIL_ESCALATION_DAYS_AFTER = 30
CIVIC_PARTICIPATION_DIGEST_HOUR = 24  # no afternoon digest: one e-mail per person and day

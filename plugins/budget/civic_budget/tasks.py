"""Background tasks of the budget plugin (django-q2).

``count_closed_processes`` runs from a schedule (created in migration 0003) every few minutes:
it freezes and counts each process whose vote has closed.
"""

from civic_budget import results


def count_closed_processes():
    return results.count_closed_processes()

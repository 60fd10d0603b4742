"""The comparison step: would more voters rather have the greedy outcome?

After MES (and its completion), the outcome is compared with greedy by votes. Each voter
prefers the outcome that gives them more, and the greedy outcome replaces the MES outcome only
if strictly more voters prefer it. Two measures of "more" are in use:

* ``satisfaction``: the number of funded projects the voter approved (points, for cumulative
  ballots);
* ``exclusion``: whether at least one funded project is one the voter approved; a voter prefers
  the outcome that does not leave them empty-handed.
"""

from .instance import Election

SATISFACTION = "satisfaction"
EXCLUSION = "exclusion"
COMPARISONS = (SATISFACTION, EXCLUSION)


def compare_with_greedy(
    election: Election, mes_winners: list[str], greedy_winners: list[str], measure: str
) -> dict:
    mes_set, greedy_set = set(mes_winners), set(greedy_winners)
    prefer_mes = prefer_greedy = 0
    for group in election.groups:
        mes_gain = sum(points for pid, points in group.choices if pid in mes_set)
        greedy_gain = sum(points for pid, points in group.choices if pid in greedy_set)
        if measure == EXCLUSION:
            mes_gain, greedy_gain = mes_gain > 0, greedy_gain > 0
        if mes_gain > greedy_gain:
            prefer_mes += group.weight
        elif greedy_gain > mes_gain:
            prefer_greedy += group.weight
    return {
        "measure": measure,
        "greedy_winners": list(greedy_winners),
        "prefer_equal_shares": prefer_mes,
        "prefer_greedy": prefer_greedy,
        "outcome": "greedy" if prefer_greedy > prefer_mes else "equal_shares",
    }

"""Does the consultation's ranking find what the population supports, and resist brigades?

    .venv/bin/python bench/consultation_simulation.py [--seeds 5] [--attacks all] [--large]
        [--only SUBSTRING]

A synthetic population (latent opinions, five opinion groups of unequal size, proposals that
arrive over time, about 10 votes per participant) votes through the plugin's real sequence and
scoring code; Make.org's rules (a comparison mode of this benchmark only) and random
order run on the same populations and seeds. See bench/_consultation_sim.py for the model.

Printed per scenario and order, over the seeds: recall@10 of the true top 10 (mean and worst),
true top-10 proposals dropped from sampling or left unranked (per run), the exposure spread
(Gini of trusted votes per proposal; lowest count) and the rank attackers give the true
rank-60 proposal (rank-12 in the scenarios that say so). Under sequence farming, a line per
order adds the share of farming sessions that met their target, the sequences they drew, and the
agree weight the address-range cap takes off the target at the end (means over the seeds).

Default: Mulhouse scale (580 proposals, 8,300 participants), without attack and with a brigade
of 3.6 % of participants. ``--attacks all`` adds brigades of 1 % and 10 %, votes outside the
sequence, uniform voters, a burst from one address, sequence farming from one address range,
and the product with flagged sessions excluded or without the address-range cap. ``--only``
keeps the scenarios whose name holds a substring. ``--large`` runs the large scale (20,000
proposals, 1,000,000 participants) sampled: fewer simulated participants and proposals in the
same ratio, so the same votes per proposal.
"""

import argparse
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "plugins" / "consultation")]

import _consultation_sim as sim  # noqa: E402

MULHOUSE = sim.Scenario("Mulhouse, no attack")
LARGE = sim.Scenario("large", participants=1_000_000, proposals=20_000)


def scenarios(attacks, base):
    def attack(name, kind, share, **changes):
        return replace(base, name=name, attack=kind, attack_share=share, **changes)

    chosen = [base, attack("brigade 3.6 %", "brigade", 0.036)]
    if attacks == "all":
        chosen += [
            attack("brigade 1 %", "brigade", 0.01),
            attack("brigade 10 %", "brigade", 0.10),
            attack("brigade 10 %, flagged excluded", "brigade", 0.10, exclude_flagged=True),
            attack("direct-link votes 3.6 %", "direct", 0.036),
            attack("uniform voters 3.6 %", "uniform", 0.036),
            attack("uniform 3.6 %, flagged excluded", "uniform", 0.036, exclude_flagged=True),
            attack("burst from one address 3.6 %", "burst", 0.036),
            attack("sequence farming from one range 3.6 %", "farm", 0.036),
            attack("sequence farming 3.6 %, range cap off", "farm", 0.036, range_cap=False),
            # A target just outside the top list, which focused sampling still serves.
            attack("sequence farming 3.6 %, rank-12 target", "farm", 0.036, target_rank=12),
            attack(
                "sequence farming 3.6 %, rank-12 target, cap off",
                "farm",
                0.036,
                target_rank=12,
                range_cap=False,
            ),
        ]
    return chosen


def product_only(scenario):
    """Scenarios that switch a defence of the product, which the other orders do not have."""
    return scenario.exclude_flagged or not scenario.range_cap


def one(job):
    scenario, order, seed = job
    return scenario.name, order, seed, sim.run(scenario, order, seed)


def summarise(runs):
    recalls = [r["recall"] for r in runs]
    ranks = [r["target_rank"] for r in runs if r["target_rank"]]
    return (
        f"{statistics.mean(recalls):.3f}",
        f"{min(recalls):.2f}",
        f"{statistics.mean(r['dropped'] for r in runs):.1f}",
        f"{statistics.mean(r['gini'] for r in runs):.2f}",
        f"{min(r['min_votes'] for r in runs)}",
        f"{statistics.median(ranks):.0f} ({min(ranks)}-{max(ranks)})" if ranks else "unranked",
    )


def farming(runs):
    def mean(key):
        return statistics.mean(r[key] for r in runs)

    return (
        f"{mean('farm_met'):.0%} of farming sessions met the target, "
        f"{mean('farm_draws'):.1f} sequences drawn each, "
        f"the cap takes {mean('target_excess'):.1f} agree votes off the target"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--attacks", choices=("goals", "all"), default="goals")
    parser.add_argument("--large", action="store_true", help="sampled large scale")
    parser.add_argument(
        "--large-participants",
        type=int,
        default=40_000,
        help="simulated participants at large scale (proposals follow in proportion)",
    )
    parser.add_argument("--orders", default=",".join(sim.ORDERS))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", default="", help="scenarios whose name holds this substring")
    args = parser.parse_args()

    base = MULHOUSE
    if args.large:
        base = replace(sim.scale(LARGE, args.large_participants), name="large, no attack")
    chosen = [s for s in scenarios(args.attacks, base) if args.only in s.name]
    orders = args.orders.split(",")
    jobs = [
        (scenario, order, seed)
        for scenario in chosen
        for order in orders
        if order == "product" or not product_only(scenario)
        for seed in range(1, args.seeds + 1)
    ]
    print(
        f"{base.participants:,} participants, {base.proposals:,} proposals, "
        f"~{base.votes_per_participant} votes each, {args.seeds} seeds"
    )
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(one, jobs))
    header = (
        "scenario",
        "order",
        "recall@10",
        "worst",
        "top10 lost",
        "gini",
        "min votes",
        "target rank",
    )
    rows = [header]
    for scenario in chosen:
        for order in orders:
            runs = [r for name, o, _s, r in results if name == scenario.name and o == order]
            if runs:
                rows.append((scenario.name, order, *summarise(runs)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    for scenario in chosen:
        for order in orders:
            runs = [r for name, o, _s, r in results if name == scenario.name and o == order]
            if runs and "farm_met" in runs[0]:
                print(f"{scenario.name}, {order}: {farming(runs)}")
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()

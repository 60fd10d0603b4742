"""Count a pabulib ``.pb`` file with any counting rule and print the winners.

manage.py budget_count_pb election.pb --rule equal-shares --completion add1_no_exhaustive_stop
manage.py budget_count_pb election.pb --rule greedy --variant stop --json

The file is read as a stream (identical ballots merged as they come), so a file of millions of
voters fits in memory. Progress goes to stderr on a terminal, or anywhere with --progress.
"""

import json
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from civic_budget import pabulib
from civic_budget.counting import CountingInputError, EqualSharesRule, GreedyRule, count
from civic_budget.counting.comparison import COMPARISONS
from civic_budget.counting.completion import ADD1_SEARCHES, COMPLETIONS, ENDOWMENTS
from civic_budget.counting.greedy import VARIANTS
from civic_budget.counting.mes import UTILITIES
from civic_budget.counting.ties import COST_ORDERS


class Progress:
    """A one-line counter on stderr while a large file is read and during long searches
    (Add1 reruns MES)."""

    def __init__(self, stream, enabled: bool):
        self.stream = stream
        self.enabled = enabled
        self.started = time.monotonic()
        self.shown = False
        self.last = 0.0

    def __call__(self, stage: str, done: int):
        now = time.monotonic()
        # Quiet for short counts; then at most five updates a second.
        if not self.enabled or now - self.started < 1 or now - self.last < 0.2:
            return
        self.last = now
        runs = "" if stage.startswith("reading") else f" {done} runs,"
        self.stream.write(f"\r{stage}:{runs} {now - self.started:.1f} s   ")
        self.stream.flush()
        self.shown = True

    def reading(self, done: int, size: int):
        self(f"reading {done * 100 // max(size, 1)}%", done)

    def close(self):
        if self.shown:
            self.stream.write("\n")


class Command(BaseCommand):
    help = (
        "Count a pabulib .pb file with greedy or the Method of Equal Shares and print the winners."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .pb file")
        parser.add_argument("--rule", choices=["greedy", "equal-shares"], default="greedy")
        parser.add_argument("--variant", choices=VARIANTS, default="skip", help="greedy only")
        parser.add_argument("--min-votes", type=int, default=1)
        parser.add_argument("--utilities", choices=UTILITIES, default="cost")
        parser.add_argument("--completion", choices=COMPLETIONS, default="none")
        parser.add_argument("--endowment", choices=ENDOWMENTS, default="exact")
        parser.add_argument(
            "--add1-search",
            choices=ADD1_SEARCHES,
            default="jump",
            help="jump to the next endowment that can change the outcome, or classic steps",
        )
        parser.add_argument(
            "--increment", type=int, default=1, help="Add1 step per voter (--add1-search step)"
        )
        parser.add_argument("--comparison", choices=COMPARISONS, default=None)
        draw = parser.add_mutually_exclusive_group()
        draw.add_argument("--seed", help="seed of the recorded draw by lot that breaks last ties")
        draw.add_argument("--lot-order", help="explicit draw: all project ids, comma-separated")
        parser.add_argument(
            "--tie-cost-order",
            choices=COST_ORDERS,
            default="ascending",
            help="ties favour the cheaper (ascending) or the more expensive project",
        )
        parser.add_argument("--json", action="store_true", help="print the full result as JSON")
        parser.add_argument(
            "--progress", action="store_true", help="show progress on stderr even off a terminal"
        )

    def handle(self, *args, **options):
        try:
            rule = self._rule(options)
            lot_order = options["lot_order"].split(",") if options["lot_order"] else None
            shown = options["progress"] or (options["verbosity"] >= 1 and sys.stderr.isatty())
            progress = Progress(sys.stderr, shown)
            try:
                imported = pabulib.read_election(options["path"], progress=progress.reading)
                result = count(
                    imported.election,
                    rule,
                    seed=options["seed"],
                    lot_order=lot_order,
                    cost_order=options["tie_cost_order"],
                    progress=progress,
                )
            finally:
                progress.close()
        except OSError as error:
            raise CommandError(f"cannot read {options['path']}: {error}") from None
        except (pabulib.PabulibError, CountingInputError) as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
            return
        for warning in imported.warnings:
            self.stderr.write(f"warning: {warning}")
        if imported.warning_count > len(imported.warnings):
            self.stderr.write(f"... {imported.warning_count} warnings in all")
        self._print(imported, result)

    @staticmethod
    def _rule(options):
        if options["rule"] == "greedy":
            return GreedyRule(variant=options["variant"], min_votes=options["min_votes"])
        return EqualSharesRule(
            utilities=options["utilities"],
            completion=options["completion"],
            endowment=options["endowment"],
            add1_search=options["add1_search"],
            increment=options["increment"],
            comparison=options["comparison"],
            min_votes=options["min_votes"],
        )

    def _print(self, imported, result):
        election = imported.election
        names = {row["project_id"]: row.get("name", "") for row in imported.projects}
        self.stdout.write(f"{election!r}")
        if imported.scale > 1:
            self.stdout.write(f"amounts in 1/{imported.scale} of the file's unit (decimals)")
        self.stdout.write(f"rule: {json.dumps(result.parameters)}")
        self.stdout.write(f"{'#':>3}  {'project':<12} {'cost':>12} {'votes':>8}  name")
        for number, pid in enumerate(result.winners, start=1):
            self.stdout.write(
                f"{number:>3}  {pid:<12} {election.costs[pid]:>12,} {election.votes[pid]:>8,}"
                f"  {names.get(pid, '')[:60]}"
            )
        self.stdout.write(
            f"spent {result.spent:,} of {result.budget:,} (leftover {result.leftover:,})"
        )
        if result.final_endowment is not None:
            self.stdout.write(
                f"endowment per voter: {result.final_endowment} "
                f"({result.endowment_iterations} run(s))"
            )
        if result.comparison:
            self.stdout.write(f"comparison with greedy: {json.dumps(result.comparison)}")
        self.stdout.write(f"input: {result.input_hash}  algorithm: {result.algorithm_version}")
        if not result.is_complete:
            tie = result.unresolved_tie
            self.stdout.write(
                self.style.WARNING(
                    f"UNRESOLVED TIE at {tie['stage']} round {tie['round']} between "
                    f"{', '.join(tie['projects'])}: give --seed or --lot-order (a recorded draw)"
                )
            )

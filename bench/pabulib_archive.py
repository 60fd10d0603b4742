"""Import every file of a pabulib archive and count the greedy ones against their outcome.

    python bench/pabulib_archive.py FOLDER_OR_GIT_DIR [--git-prefix pb_files/] [--limit N]

FOLDER_OR_GIT_DIR is either a folder of ``.pb`` files or a git directory of the pabulib files
repository (files are read with ``git cat-file``; blobs the copy lacks are skipped). Reports
how many files were imported, refused (with the message, grouped) or crashed (a traceback:
must be 0), and, for every approval, choose-1, cumulative and ordinal file whose ``rule`` is a
greedy one, whether greedy (skip, or stop for ``greedy-no-skip``) gives the file's
``selected`` projects, with the cost order that breaks ties either way. Nothing is written.
"""

import argparse
import subprocess
import sys
import tempfile
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "budget"))

from civic_budget import pabulib  # noqa: E402
from civic_budget.counting import GreedyRule, count  # noqa: E402

GREEDY_RULES = {"greedy": "skip", "greedy-no-skip": "stop"}


def archive_files(source: Path, prefix: str):
    """(name, bytes or None when the copy lacks it) for each .pb file."""
    if source.is_dir() and not (source / "HEAD").exists():
        for path in sorted(source.rglob("*.pb")):
            yield path.name, path.read_bytes()
        return
    listing = subprocess.run(
        ["git", "-C", str(source), "ls-tree", "-r", "--name-only", "HEAD", prefix],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    for name in sorted(n for n in listing if n.endswith(".pb")):
        shown = subprocess.run(
            ["git", "-C", str(source), "cat-file", "-p", f"HEAD:{name}"], capture_output=True
        )
        data = shown.stdout if shown.returncode == 0 else None
        if data is not None and data.startswith(b"version https://git-lfs"):
            data = None
        yield name, data


def selected(projects) -> list[str] | None:
    if not projects or "selected" not in projects[0]:
        return None
    return sorted(row["project_id"] for row in projects if row.get("selected") == "1")


def compare(imported, outcome: Counter, differing: list, name: str) -> None:
    meta = imported.meta
    variant = GREEDY_RULES.get(meta.get("rule", ""))
    official = selected(imported.projects)
    if variant is None:
        outcome[f"not compared (rule {meta.get('rule', '?')})"] += 1
        return
    if official is None:
        outcome["not compared (no selected column)"] += 1
        return
    results = {
        order: count(imported.election, GreedyRule(variant=variant), cost_order=order)
        for order in ("ascending", "descending")
    }
    ascending = results["ascending"]
    if not ascending.is_complete:
        outcome["greedy: unresolved tie (a draw is needed)"] += 1
    elif sorted(ascending.winners) == official:
        outcome["greedy = selected"] += 1
    elif sorted(results["descending"].winners) == official:
        outcome["greedy = selected with the more expensive project first in ties"] += 1
        differing.append(("tie order", name))
    else:
        outcome["greedy differs from selected"] += 1
        differing.append(("differs", name))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--git-prefix", default="pb_files/")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--list", action="store_true", help="list the files that differ")
    args = parser.parse_args()
    imports, refusals, counting, differing, tracebacks = Counter(), Counter(), Counter(), [], []
    with tempfile.TemporaryDirectory() as folder:
        for number, (name, data) in enumerate(archive_files(args.source, args.git_prefix)):
            if args.limit and number >= args.limit:
                break
            if data is None:
                imports["skipped (blob missing from the copy)"] += 1
                continue
            path = Path(folder) / "file.pb"
            path.write_bytes(data)
            try:
                imported = pabulib.read_election(path)
                imports["imported"] += 1
                if imported.warning_count:
                    imports["imported with warnings"] += 1
                compare(imported, counting, differing, name)
            except pabulib.PabulibError as error:
                imports["refused"] += 1
                refusals[f"{error.field}: {error.message}"[:90]] += 1
            except Exception:  # noqa: BLE001 - what this script exists to find
                imports["traceback"] += 1
                tracebacks.append((name, traceback.format_exc(limit=3)))
    imports.setdefault("traceback", 0)
    print("import:", dict(imports))
    for message, number in refusals.most_common():
        print(f"  refused {number:>4}  {message}")
    print("greedy against selected:", dict(counting))
    if args.list:
        for kind, name in differing:
            print(f"  {kind}: {name}")
    for name, text in tracebacks:
        print(f"TRACEBACK {name}\n{text}")
    return 1 if tracebacks else 0


if __name__ == "__main__":
    sys.exit(main())

"""A fingerprint of the counted input.

The hash is the SHA-256 of a canonical UTF-8 text, so anyone can recompute it:

* line 1: JSON (sorted keys, no spaces) of ``format``, ``budget``, ``ballot_type`` and
  ``projects``, the ``[id, cost]`` pairs sorted by id;
* then one line per group of identical ballots, in the election's canonical order (sorted by
  ballot): the weight, U+001E, then the ``id U+001D points`` pairs sorted by id and separated
  by U+001F. Project ids cannot contain control characters (the election checks it), so these
  separators are unambiguous.

The same election therefore has the same hash whatever the order of its ballots or projects.
The ballot lines are built by C-level joins: JSON-encoding every ballot was several times
slower on large elections.
"""

import hashlib
import json

from .instance import Election

HASH_FORMAT = "civic-budget-election/1"


def canonical_election(election: Election) -> bytes:
    header = {
        "format": HASH_FORMAT,
        "budget": election.budget,
        "ballot_type": election.ballot_type,
        "projects": sorted([pid, cost] for pid, cost in election.costs.items()),
    }
    pair = "%s\x1d%d".__mod__
    lines = [json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=False)]
    lines += [
        f"{group.weight}\x1e" + "\x1f".join(map(pair, group.choices)) for group in election.groups
    ]
    return "\n".join(lines).encode()


def election_hash(election: Election) -> str:
    return "sha256:" + hashlib.sha256(canonical_election(election)).hexdigest()

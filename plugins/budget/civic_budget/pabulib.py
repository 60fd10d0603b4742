"""Read and write the pabulib ``.pb`` format (https://pabulib.org/format).

A ``.pb`` file is semicolon-separated text in three sections, each a line with the section name
followed by a header line and rows: ``META`` (``key;value``), ``PROJECTS`` (``project_id``,
``cost``, then any columns) and ``VOTES`` (``voter_id``, ``vote``, ``points`` for cumulative
ballots, then voter metadata such as ``age``, ``sex``, ``voting_method``).

Values are kept as the strings found in the file, in file order, so that writing a parsed file
gives the same data back. :func:`to_election` interprets them for counting. Pure Python: no
Django, only the standard library and :mod:`civic_budget.counting`.
"""

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from civic_budget.counting import APPROVAL, CUMULATIVE, ORDINAL, CountingInputError, Election

SECTIONS = ("META", "PROJECTS", "VOTES")
# "choose-1" ballots approve of one project: counted as approval ballots.
VOTE_TYPES = {
    "approval": APPROVAL,
    "choose-1": APPROVAL,
    "cumulative": CUMULATIVE,
    "ordinal": ORDINAL,
}
REQUIRED_COLUMNS = {"PROJECTS": ("project_id", "cost"), "VOTES": ("voter_id", "vote")}
# Plain decimal amounts only: no sign, exponent, infinity or NaN, and a bounded size (a
# budget of 10^30 is not a budget; a long exponent would not even fit in memory).
AMOUNT = re.compile(r"([0-9]{1,30})(?:\.([0-9]{1,12}))?")
ENCODINGS = ("UTF-8", "UTF-16", "cp1250")
# Warnings beyond this number are counted, not listed.
LISTED_WARNINGS = 20


class PabulibError(ValueError):
    """A malformed ``.pb`` file. ``line`` is 1-based (``None`` if not tied to a line)."""

    def __init__(self, line: int | None, field: str, message: str):
        where = f"line {line}, " if line is not None else ""
        super().__init__(f"{where}{field}: {message}")
        self.line = line
        self.field = field
        self.message = message


@dataclass
class PbFile:
    meta: dict[str, str] = field(default_factory=dict)
    project_columns: list[str] = field(default_factory=lambda: ["project_id", "cost"])
    projects: list[dict[str, str]] = field(default_factory=list)
    vote_columns: list[str] = field(default_factory=lambda: ["voter_id", "vote"])
    votes: list[dict[str, str]] = field(default_factory=list)
    # Where each row came from, for error messages; not part of the data.
    meta_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    project_lines: list[int] = field(default_factory=list, compare=False, repr=False)
    vote_lines: list[int] = field(default_factory=list, compare=False, repr=False)

    def selected_projects(self) -> list[str]:
        """Projects marked ``selected`` = 1 in the file (the officially funded ones)."""
        return [row["project_id"] for row in self.projects if row.get("selected", "") == "1"]


@dataclass
class Imported:
    """An election read from a file.

    Amounts in the file may have decimals (``budget;106165.64``): costs and budget are then
    multiplied by ``scale`` (a power of ten) so that they are whole, exactly. ``warnings``
    lists what was repaired (a project listed twice in a ballot is counted once), at most
    :data:`LISTED_WARNINGS` of them; ``warning_count`` counts them all.
    """

    election: Election
    scale: int = 1
    warnings: list[str] = field(default_factory=list)
    warning_count: int = 0
    meta: dict[str, str] = field(default_factory=dict)
    projects: list[dict[str, str]] = field(default_factory=list)

    def warn(self, line: int | None, message: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < LISTED_WARNINGS:
            self.warnings.append(f"line {line}: {message}" if line is not None else message)


def _records(lines: Iterable[str]) -> Iterator[tuple[int, str, list[str], list[str]]]:
    """``(line, section, header, values)`` for each data row; checks the structure."""
    section = None
    header: list[str] | None = None
    seen_sections: list[str] = []
    reader = csv.reader(lines, delimiter=";")
    try:
        for row in reader:
            line = reader.line_num
            if not row or row == [""]:
                continue
            name = row[0].strip().upper()
            if len(row) == 1 and name in SECTIONS:
                expected = SECTIONS[len(seen_sections)] if len(seen_sections) < 3 else None
                if name != expected:
                    raise PabulibError(
                        line, "section", f"{name} found where {expected} was expected"
                    )
                seen_sections.append(name)
                section, header = name, None
                continue
            if section is None:
                raise PabulibError(line, "section", "the file must start with META")
            if header is None:
                header = [column.strip() for column in row]
                _check_header(line, section, header)
                yield line, section, header, []
                continue
            if len(row) != len(header):
                raise PabulibError(
                    line, section.lower(), f"{len(row)} fields where the header has {len(header)}"
                )
            yield line, section, header, [value.strip() for value in row]
    except csv.Error as error:
        raise PabulibError(reader.line_num, "text", str(error)) from None
    except UnicodeError:
        raise PabulibError(
            reader.line_num + 1, "encoding", f"the file is not text in {', '.join(ENCODINGS)}"
        ) from None
    if seen_sections != list(SECTIONS):
        missing = ", ".join(name for name in SECTIONS if name not in seen_sections)
        raise PabulibError(None, "section", f"missing section(s): {missing}")


def parse(text: str) -> PbFile:
    """Parse the text of a ``.pb`` file; raises :class:`PabulibError` naming the line."""
    pb = PbFile()
    for line, section, header, values in _records(io.StringIO(text.removeprefix("\ufeff"))):
        if not values:
            if section == "PROJECTS":
                pb.project_columns = header
            elif section == "VOTES":
                pb.vote_columns = header
            continue
        row = dict(zip(header, values, strict=True))
        if section == "META":
            pb.meta[row["key"]] = row["value"]
            pb.meta_lines[row["key"]] = line
        elif section == "PROJECTS":
            pb.projects.append(row)
            pb.project_lines.append(line)
        else:
            pb.votes.append(row)
            pb.vote_lines.append(line)
    _check_unique(pb.projects, pb.project_lines, "project_id")
    _check_unique(pb.votes, pb.vote_lines, "voter_id")
    return pb


def _check_header(line: int, section: str, header: list[str]) -> None:
    if section == "META":
        if header[:2] != ["key", "value"] or len(header) != 2:
            raise PabulibError(line, "META header", "must be key;value")
        return
    for column in REQUIRED_COLUMNS[section]:
        if column not in header:
            raise PabulibError(line, f"{section} header", f"missing column {column!r}")
    if len(set(header)) != len(header):
        raise PabulibError(line, f"{section} header", "a column appears twice")


def _check_unique(rows, lines, column: str) -> None:
    seen = set()
    for row, line in zip(rows, lines, strict=True):
        if row[column] in seen:
            raise PabulibError(line, column, f"{row[column]!r} appears twice")
        seen.add(row[column])


def detect_encoding(head: bytes) -> str:
    """The encoding of a file from its first bytes: a byte order mark, NUL bytes (UTF-16
    without a mark), else UTF-8 (:func:`open_text` falls back to cp1250 if that fails)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head[:200]:
        return "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
    return "utf-8"


def decode(data: bytes) -> str:
    """The text of a ``.pb`` file in UTF-8 (with or without a byte order mark), UTF-16 or
    cp1250 (Polish files saved on Windows)."""
    encoding = detect_encoding(data[:4096])
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        if encoding == "utf-8":
            try:
                return data.decode("cp1250")
            except UnicodeDecodeError:
                pass
    raise PabulibError(
        None, "encoding", f"the file is not text in {', '.join(ENCODINGS)}"
    ) from None


def read(path) -> PbFile:
    return parse(decode(Path(path).read_bytes()))


def write(pb: PbFile) -> str:
    """The ``.pb`` text of ``pb`` (``parse(write(pb)) == pb``)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    writer.writerows(pb.meta.items())
    for name, columns, rows in (
        ("PROJECTS", pb.project_columns, pb.projects),
        ("VOTES", pb.vote_columns, pb.votes),
    ):
        writer.writerow([name])
        writer.writerow(columns)
        writer.writerows([row.get(column, "") for column in columns] for row in rows)
    return out.getvalue()


def save(pb: PbFile, path) -> None:
    Path(path).write_text(write(pb), encoding="utf-8")


def _decimal_places(text: str, line: int | None, field: str) -> int:
    """How many decimals ``text`` needs (trailing zeros do not count); checks its form."""
    match = AMOUNT.fullmatch(text)
    if match is None:
        raise PabulibError(
            line, field, f"{text[:40]!r} is not an amount (digits, optional decimals)"
        )
    return len((match.group(2) or "").rstrip("0"))


def _scaled(text: str, scale: int) -> int:
    whole, _, decimals = text.partition(".")
    places = len(str(scale)) - 1
    return int(whole) * scale + int((decimals + "0" * places)[:places] or 0)


def _points(text: str, line: int | None) -> int:
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        raise PabulibError(line, "points", f"{text[:40]!r} is not a whole number of points")
    return int(text)


class _BallotReader:
    """Turns the vote (and points) cells of each voter into a ballot, merged on the fly with
    the identical ballots already read, so that memory grows with the distinct ballots only."""

    def __init__(self, imported_meta: dict, costs: dict, warn: Callable):
        vote_type = imported_meta.get("vote_type", "approval")
        self.ballot_type = VOTE_TYPES[vote_type]
        self.single = vote_type == "choose-1"
        self.ids = {pid: pid for pid in costs}
        self.warn = warn
        self.ballots: Counter = Counter()

    def add(self, line: int | None, vote: str, points: str | None) -> None:
        chosen = [pid.strip() for pid in vote.split(",")] if vote else []
        for index, pid in enumerate(chosen):
            # The project's own id object: millions of ballots then share a few strings.
            known = self.ids.get(pid)
            if known is None:
                raise PabulibError(line, "vote", f"unknown project id {pid[:40]!r}")
            chosen[index] = known
        if self.single and len(chosen) > 1:
            raise PabulibError(line, "vote", "a choose-1 ballot names one project")
        if self.ballot_type == CUMULATIVE:
            numbers = points.split(",") if points else []
            if len(numbers) != len(chosen):
                raise PabulibError(line, "points", "needs one number per voted project")
            merged: dict[str, int] = {}
            for pid, number in zip(chosen, numbers, strict=True):
                if pid in merged:
                    self.warn(line, f"project {pid!r} listed twice: its points are added up")
                merged[pid] = merged.get(pid, 0) + _points(number, line)
            key = tuple(sorted(merged.items()))
        else:
            unique = list(dict.fromkeys(chosen))
            if len(unique) != len(chosen):
                twice = sorted({pid for pid in chosen if chosen.count(pid) > 1})
                self.warn(line, f"project(s) {', '.join(twice)} listed twice: counted once")
            key = tuple(unique) if self.ballot_type == ORDINAL else tuple(sorted(unique))
        self.ballots[key] += 1

    def election(self, budget: int, costs: dict) -> Election:
        # Emptied as the election takes the ballots, so both are never held in full at once.
        keys, weights = [], []
        while self.ballots:
            key, weight = self.ballots.popitem()
            keys.append(key)
            weights.append(weight)
        ballots = map(dict, keys) if self.ballot_type == CUMULATIVE else keys
        return Election(costs, budget, ballots, ballot_type=self.ballot_type, weights=weights)


def _amounts(meta, meta_lines, projects, project_lines):
    """Budget and costs as whole numbers in a common unit, and the scale that made them so."""
    if "budget" not in meta:
        raise PabulibError(None, "budget", "META has no budget")
    texts = [(meta["budget"], meta_lines.get("budget"), "budget")]
    texts += [
        (row["cost"], line, "cost") for row, line in zip(projects, project_lines, strict=True)
    ]
    scale = 10 ** max(_decimal_places(text, line, name) for text, line, name in texts)
    costs = {row["project_id"]: _scaled(row["cost"], scale) for row in projects}
    return _scaled(meta["budget"], scale), costs, scale


def _check_vote_type(meta, meta_lines) -> None:
    vote_type = meta.get("vote_type", "approval")
    if vote_type not in VOTE_TYPES:
        raise PabulibError(
            meta_lines.get("vote_type"),
            "vote_type",
            f"{vote_type[:40]!r} is not supported ({', '.join(VOTE_TYPES)})",
        )


def import_pb(pb: PbFile) -> Imported:
    """The election described by a parsed file, with its scale and warnings."""
    project_lines = pb.project_lines or [None] * len(pb.projects)
    _check_vote_type(pb.meta, pb.meta_lines)
    budget, costs, scale = _amounts(pb.meta, pb.meta_lines, pb.projects, project_lines)
    imported = Imported(election=None, scale=scale, meta=pb.meta, projects=pb.projects)
    reader = _BallotReader(pb.meta, costs, imported.warn)
    if reader.ballot_type == CUMULATIVE and "points" not in pb.vote_columns:
        raise PabulibError(None, "points", "cumulative votes need a points column")
    vote_lines = pb.vote_lines or [None] * len(pb.votes)
    for row, line in zip(pb.votes, vote_lines, strict=True):
        reader.add(line, row["vote"], row.get("points"))
    imported.election = _election(reader, budget, costs, pb.meta_lines, project_lines, pb.projects)
    return imported


def to_election(pb: PbFile) -> Election:
    """The election described by the file, ready to count (see :func:`import_pb`)."""
    return import_pb(pb).election


def _election(reader, budget, costs, meta_lines, project_lines, projects) -> Election:
    try:
        return reader.election(budget, costs)
    except CountingInputError as error:
        line = None
        if error.field == "budget":
            line = meta_lines.get("budget")
        elif error.field.startswith("projects["):
            wanted = error.field[len("projects[") :].split("]")[0].strip("'\"")
            line = next(
                (
                    at
                    for row, at in zip(projects, project_lines, strict=True)
                    if row["project_id"] == wanted
                ),
                None,
            )
        raise PabulibError(line, error.field, error.message) from None


def open_text(path) -> tuple[io.TextIOBase, str]:
    """``path`` opened as text in its encoding, and the encoding's name."""
    with open(path, "rb") as raw:
        encoding = detect_encoding(raw.read(4096))
    if encoding == "utf-8":
        # Check the whole file once, in chunks: a cp1250 file fails here, not mid-count.
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            with open(path, "rb") as raw:
                while chunk := raw.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            encoding = "cp1250"
    return open(path, encoding=encoding, newline=""), encoding


def read_election(path, progress: Callable[[int, int], None] | None = None) -> Imported:
    """Stream a ``.pb`` file into an election without keeping its rows: voters are merged
    into groups of identical ballots as they are read. ``progress(bytes_read, size)`` is
    called every 100,000 voters."""
    size = Path(path).stat().st_size
    try:
        text, _encoding = open_text(path)
    except UnicodeDecodeError:
        raise PabulibError(
            None, "encoding", f"the file is not text in {', '.join(ENCODINGS)}"
        ) from None
    meta: dict[str, str] = {}
    meta_lines: dict[str, int] = {}
    projects: list[dict[str, str]] = []
    project_lines: list[int] = []
    imported = Imported(election=None)
    reader = voters = None
    seen_voters = _VoterIds()
    with text:
        for line, section, header, values in _records(_without_bom(text)):
            if not values:
                continue
            row = dict(zip(header, values, strict=True))
            if section == "META":
                meta[row["key"]] = row["value"]
                meta_lines[row["key"]] = line
                continue
            if section == "PROJECTS":
                projects.append(row)
                project_lines.append(line)
                continue
            if reader is None:
                _check_unique(projects, project_lines, "project_id")
                _check_vote_type(meta, meta_lines)
                budget, costs, scale = _amounts(meta, meta_lines, projects, project_lines)
                reader = _BallotReader(meta, costs, imported.warn)
                if reader.ballot_type == CUMULATIVE and "points" not in header:
                    raise PabulibError(None, "points", "cumulative votes need a points column")
                voters = 0
            if not seen_voters.add(row["voter_id"]):
                raise PabulibError(line, "voter_id", f"{row['voter_id'][:40]!r} appears twice")
            reader.add(line, row["vote"], row.get("points"))
            voters += 1
            if progress and voters % 100_000 == 0:
                progress(text.buffer.tell(), size)
    if reader is None:
        raise PabulibError(None, "section", "VOTES has no voter")
    imported.scale, imported.meta, imported.projects = scale, meta, projects
    imported.election = _election(reader, budget, costs, meta_lines, project_lines, projects)
    return imported


class _VoterIds:
    """The voter ids seen so far: numbers below 10^9 as bits of a bitmap (an eighth of a byte
    each, where a set of strings costs about 100 bytes per voter), any other id in a set."""

    def __init__(self):
        self.bits = bytearray()
        self.others: set[str] = set()

    def add(self, voter_id: str) -> bool:
        """Record ``voter_id``; False if it was already there."""
        if voter_id.isascii() and voter_id.isdigit() and voter_id[0] != "0" and len(voter_id) < 10:
            number = int(voter_id)
            byte, bit = divmod(number, 8)
            if byte >= len(self.bits):
                self.bits.extend(bytes(max(byte + 1 - len(self.bits), len(self.bits))))
            if self.bits[byte] >> bit & 1:
                return False
            self.bits[byte] |= 1 << bit
            return True
        if voter_id in self.others:
            return False
        self.others.add(voter_id)
        return True


def _without_bom(lines: Iterable[str]) -> Iterator[str]:
    first = True
    for text in lines:
        yield text.removeprefix("\ufeff") if first else text
        first = False


def _age_bucket(age: str, width: int) -> str:
    if not age.isdigit():
        return ""
    low = int(age) // width * width
    return f"{low}-{low + width - 1}"


def anonymised(
    pb: PbFile, *, keep: tuple[str, ...] = ("voting_method",), age_width: int = 10
) -> PbFile:
    """A copy fit for publication: voter ids renumbered, voter columns dropped except
    ``keep`` (``age``, if kept, becomes an age bucket ``age_width`` years wide) and voters
    reordered by their ballot so that the order of voting (a proxy for time) is gone."""
    content = ["vote"] + (["points"] if "points" in pb.vote_columns else [])
    kept = [column for column in keep if column in pb.vote_columns and column not in content]
    rows = []
    for row in pb.votes:
        new = {column: row[column] for column in content + kept}
        if "age" in new:
            new["age"] = _age_bucket(new["age"], age_width)
        rows.append(new)
    rows.sort(key=lambda row: [row[column] for column in content + kept])
    for number, row in enumerate(rows, start=1):
        row["voter_id"] = str(number)
    return PbFile(
        meta=dict(pb.meta),
        project_columns=list(pb.project_columns),
        projects=[dict(row) for row in pb.projects],
        vote_columns=["voter_id"] + content + kept,
        votes=rows,
    )

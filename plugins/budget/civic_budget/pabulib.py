"""Read and write the pabulib ``.pb`` format (https://pabulib.org/format).

A ``.pb`` file is semicolon-separated text in three sections, each a line with the section name
followed by a header line and rows: ``META`` (``key;value``), ``PROJECTS`` (``project_id``,
``cost``, then any columns) and ``VOTES`` (``voter_id``, ``vote``, ``points`` for cumulative
ballots, then voter metadata such as ``age``, ``sex``, ``voting_method``).

Values are kept as the strings found in the file, in file order, so that writing a parsed file
gives the same data back. :func:`to_election` interprets them for counting. Pure Python: no
Django, only the standard library and :mod:`civic_budget.counting`.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from civic_budget.counting import APPROVAL, CUMULATIVE, CountingInputError, Election

SECTIONS = ("META", "PROJECTS", "VOTES")
VOTE_TYPES = {"approval": APPROVAL, "cumulative": CUMULATIVE}
REQUIRED_COLUMNS = {"PROJECTS": ("project_id", "cost"), "VOTES": ("voter_id", "vote")}


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


def parse(text: str) -> PbFile:
    """Parse the text of a ``.pb`` file; raises :class:`PabulibError` naming the line."""
    pb = PbFile()
    section = None
    header: list[str] | None = None
    seen_sections: list[str] = []
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";")
    for row in reader:
        line = reader.line_num
        if not row or row == [""]:
            continue
        name = row[0].strip().upper()
        if len(row) == 1 and name in SECTIONS:
            expected = SECTIONS[len(seen_sections)] if len(seen_sections) < 3 else None
            if name != expected:
                raise PabulibError(line, "section", f"{name} found where {expected} was expected")
            seen_sections.append(name)
            section, header = name, None
            continue
        if section is None:
            raise PabulibError(line, "section", "the file must start with META")
        if header is None:
            header = [column.strip() for column in row]
            _check_header(line, section, header)
            if section == "PROJECTS":
                pb.project_columns = header
            elif section == "VOTES":
                pb.vote_columns = header
            continue
        if len(row) != len(header):
            raise PabulibError(
                line, section.lower(), f"{len(row)} fields where the header has {len(header)}"
            )
        values = dict(zip(header, (value.strip() for value in row), strict=True))
        if section == "META":
            pb.meta[values["key"]] = values["value"]
            pb.meta_lines[values["key"]] = line
        elif section == "PROJECTS":
            pb.projects.append(values)
            pb.project_lines.append(line)
        else:
            pb.votes.append(values)
            pb.vote_lines.append(line)
    if seen_sections != list(SECTIONS):
        missing = ", ".join(name for name in SECTIONS if name not in seen_sections)
        raise PabulibError(None, "section", f"missing section(s): {missing}")
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


def read(path) -> PbFile:
    return parse(Path(path).read_text(encoding="utf-8"))


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


def _integer(text: str, line: int | None, field: str) -> int:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise PabulibError(line, field, f"{text!r} is not a number") from None
    if value != value.to_integral_value():
        raise PabulibError(line, field, f"{text!r} is not a whole amount")
    return int(value)


def to_election(pb: PbFile) -> Election:
    """The election described by the file, ready to count.

    Costs and budget must be whole amounts; ``vote_type`` (default approval) must be
    ``approval`` or ``cumulative``; every voted project must be listed in PROJECTS.
    """
    vote_type = pb.meta.get("vote_type", "approval")
    if vote_type not in VOTE_TYPES:
        line = pb.meta_lines.get("vote_type")
        raise PabulibError(
            line, "vote_type", f"{vote_type!r} is not supported (approval, cumulative)"
        )
    if "budget" not in pb.meta:
        raise PabulibError(None, "budget", "META has no budget")
    budget = _integer(pb.meta["budget"], pb.meta_lines.get("budget"), "budget")
    costs = {}
    for row, line in zip(pb.projects, pb.project_lines or [None] * len(pb.projects), strict=True):
        costs[row["project_id"]] = _integer(row["cost"], line, "cost")
    cumulative = VOTE_TYPES[vote_type] == CUMULATIVE
    if cumulative and "points" not in pb.vote_columns:
        raise PabulibError(None, "points", "cumulative votes need a points column")
    ballots = []
    vote_lines = pb.vote_lines or [None] * len(pb.votes)
    for row, line in zip(pb.votes, vote_lines, strict=True):
        chosen = [pid.strip() for pid in row["vote"].split(",")] if row["vote"] else []
        for pid in chosen:
            if pid not in costs:
                raise PabulibError(line, "vote", f"unknown project id {pid!r}")
        if cumulative:
            points = row["points"].split(",") if row["points"] else []
            if len(points) != len(chosen):
                raise PabulibError(line, "points", "needs one number per voted project")
            ballots.append(
                {pid: _integer(p, line, "points") for pid, p in zip(chosen, points, strict=True)}
            )
        else:
            ballots.append(chosen)
    try:
        return Election(costs, budget, ballots, ballot_type=VOTE_TYPES[vote_type])
    except CountingInputError as error:
        raise PabulibError(_line_of(pb, error.field), error.field, error.message) from None


def _line_of(pb: PbFile, field: str) -> int | None:
    """Map an :class:`Election` field name back to the line of the file."""
    if field == "budget":
        return pb.meta_lines.get("budget")
    if field.startswith("ballots[") and pb.vote_lines:
        return pb.vote_lines[int(field[len("ballots[") :].split("]")[0])]
    if field.startswith("projects[") and pb.project_lines:
        wanted = field[len("projects[") :].split("]")[0].strip("'\"")
        for row, line in zip(pb.projects, pb.project_lines, strict=True):
            if row["project_id"] == wanted:
                return line
    return None


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

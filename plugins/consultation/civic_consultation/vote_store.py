"""The hand-written SQL of the vote path: the statements that read what a vote needs, write
votes and move the counters (a proposal's, its segments', the consultation's live shards).

A vote is the hottest write of a consultation: one statement locks the proposal and reads the
voter's session, and every write then goes in one round trip. Each statement names every
counter it may move, so that its text does not change from one vote to the next and
PostgreSQL can prepare it once per connection. What the statements write is decided elsewhere:
``counters`` says what a vote contributes and what the ranking columns become, and the
services check the rules. Statements run on the database the router picks for writing votes;
PostgreSQL and SQLite run them (``checks.py`` refuses other vendors at start-up).
"""

import functools
import random

from django.db import connections, router, transaction

from civic_consultation import counters
from civic_consultation.app_settings import app_settings
from civic_consultation.models import (
    Consultation,
    CounterShard,
    Participant,
    Proposal,
    SegmentCounter,
    Vote,
)

SUPPORTED_VENDORS = ("postgresql", "sqlite")
SHARD_COLUMNS = ("participants", "proposals", "votes")
# A participant's profile fields, each the dimension of the segment counters it names.
SEGMENT_FIELDS = ("age_range", "district")
QUALIFICATIONS_FIELD = Vote._meta.get_field("qualifications")
RANGE_EXCESS_FIELD = Proposal._meta.get_field("range_excess")


def database():
    """The connection votes are written to: the database router's choice for ``Vote``."""
    return connections[router.db_for_write(Vote)]


def atomic(db=None):
    """A transaction on the database the statements run on (``db``, or :func:`database`):
    every state change of the plugin that moves counters runs in one."""
    return transaction.atomic(using=(db or database()).alias)


def _per_vendor(build):
    """Cache what ``build(db, *args)`` returns per database vendor: the statements' text."""
    built = {}

    @functools.wraps(build)
    def cached(db, *args):
        key = (db.vendor, *args)
        found = built.get(key)
        if found is None:
            found = built[key] = build(db, *args)
        return found

    return cached


@_per_vendor
def tables(db):
    """The quoted names of the tables the statements touch."""
    quote = db.ops.quote_name
    return {
        name: quote(model._meta.db_table)
        for name, model in (
            ("proposal", Proposal),
            ("consultation", Consultation),
            ("participant", Participant),
            ("vote", Vote),
            ("shard", CounterShard),
            ("segment", SegmentCounter),
        )
    }


# Cursors and execution -----------------------------------------------------------------------


def statement_cursor(db):
    """A cursor for the statements of this module (see :func:`_server_bound_cursor`)."""
    if db.vendor == "postgresql" and not db.settings_dict["OPTIONS"].get("server_side_binding"):
        return _server_bound_cursor(db)
    return db.cursor()


def _server_bound_cursor(db):
    """A cursor that binds its parameters on the server (psycopg 3), so that where the site
    allows prepared statements (``DATABASES`` ``OPTIONS`` ``prepare_threshold``; Django
    leaves them off for transaction-pooling proxies) each statement is planned once per
    connection instead of at every vote: planning was most of the database's work for a vote.

    Django gives such cursors only when the whole site sets ``server_side_binding``; no public
    API opens one for a few statements. So this function builds it as Django's own
    ``create_cursor`` does, with the connection wrapper's undocumented helpers
    (``wrap_database_errors``, ``make_cursor``, ``make_debug_cursor``): the one place of the
    plugin that depends on them."""
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    if not is_psycopg3:
        return db.cursor()
    import psycopg

    db.ensure_connection()
    db.validate_thread_sharing()
    with db.wrap_database_errors:
        cursor = psycopg.Cursor(db.connection)
    if db.queries_logged:
        return db.make_debug_cursor(cursor)
    return db.make_cursor(cursor)


def execute_writes(db, statements):
    """Run independent writes (``(sql, parameters)`` pairs touching different rows). On
    PostgreSQL they go as one statement of data-modifying CTEs: one round trip instead of
    one each, which is what the vote path waits on."""
    with statement_cursor(db) as cursor:
        if db.vendor == "postgresql" and len(statements) > 1:
            cursor.execute(
                "WITH "
                + ", ".join(f"write{index} AS ({sql})" for index, (sql, _) in enumerate(statements))
                + " SELECT 1",
                [parameter for _, parameters in statements for parameter in parameters],
            )
        else:
            for sql, parameters in statements:
                cursor.execute(sql, parameters)


# Live counters and segment counters ----------------------------------------------------------


def counter_bump(db, consultation_id, deltas):
    """The upsert adding ``deltas`` to one random shard row of the live counters."""
    table = tables(db)["shard"]
    updates = ", ".join(f"{name} = {table}.{name} + %s" for name in deltas)
    return (
        f"INSERT INTO {table} (consultation_id, shard, {', '.join(SHARD_COLUMNS)}) "
        f"VALUES (%s, %s, %s, %s, %s) ON CONFLICT (consultation_id, shard) DO UPDATE SET {updates}",
        [
            consultation_id,
            random.randrange(app_settings.COUNTER_SHARDS),
            *(deltas.get(name, 0) for name in SHARD_COLUMNS),
            *deltas.values(),
        ],
    )


def bump_counter(consultation_id, **deltas):
    """Add to the live counters through one random shard row."""
    db = database()
    execute_writes(db, [counter_bump(db, consultation_id, deltas)])


@_per_vendor
def _segments_sql(db):
    quote = db.ops.quote_name
    table, participants = tables(db)["segment"], tables(db)["participant"]
    names = counters.SEGMENT_COUNTS
    columns = ", ".join(quote(name) for name in names)
    values = ", ".join(["%s"] * len(names))
    updates = ", ".join(f"{quote(n)} = {table}.{quote(n)} + %s" for n in names)
    selects = " UNION ALL ".join(
        f"SELECT %s, %s, {quote(field)}, {values} FROM {participants}"
        f" WHERE id = %s AND {quote(field)} <> ''"
        for field in SEGMENT_FIELDS
    )
    return (
        f"INSERT INTO {table} (proposal_id, dimension, value, {columns}) {selects} "
        f"ON CONFLICT (proposal_id, dimension, value) DO UPDATE SET {updates}"
    )


def segments_upsert(db, participant_id, proposal_id, delta):
    """The one upsert adding ``delta`` to the segment counters of the participant's profile
    (no row when the participant gave no profile)."""
    # A new row only ever receives additions (a vote's earlier contribution, which a change
    # subtracts, was counted in an existing row); counters never go below zero.
    initial = [max(0, delta.get(name, 0)) for name in counters.SEGMENT_COUNTS]
    return (
        _segments_sql(db),
        [
            *(
                parameter
                for field in SEGMENT_FIELDS
                for parameter in (proposal_id, field, *initial, participant_id)
            ),
            *(delta.get(name, 0) for name in counters.SEGMENT_COUNTS),
        ],
    )


def move_segments(participant_id, proposal_id, delta):
    """Add ``delta`` to the segment counters of the participant's profile."""
    if any(delta.values()):
        db = database()
        execute_writes(db, [segments_upsert(db, participant_id, proposal_id, delta)])


# Proposal counters ---------------------------------------------------------------------------


def proposal_update(db, proposal, delta, range_moves=(), store_excess=False):
    """The UPDATE moving a locked proposal row's counters by ``delta`` and writing its ranking
    columns (``counters.ranking_columns``; ``range_moves`` and ``store_excess`` as there)."""
    derived, excess = counters.ranking_columns(proposal, delta, range_moves, store_excess)
    parameters = [*(delta.get(name, 0) for name in counters.MOVED_COUNTS), *derived.values()]
    if excess is not None:
        parameters.append(RANGE_EXCESS_FIELD.get_db_prep_save(excess, db))
    return (
        _counters_sql(db, tuple(derived), excess is not None),
        [*parameters, proposal["pk"]],
    )


def move_proposal(proposal, delta, range_moves=(), store_excess=False):
    """Run :func:`proposal_update` on its own (moderators' decisions, the cap's task)."""
    db = database()
    execute_writes(db, [proposal_update(db, proposal, delta, range_moves, store_excess)])


@_per_vendor
def _counters_sql(db, derived_names, write_excess):
    # Every counter is named, so that the statement's text is one of two, always the same.
    quote = db.ops.quote_name
    assignments = [f"{quote(name)} = {quote(name)} + %s" for name in counters.MOVED_COUNTS]
    assignments += [f"{quote(name)} = %s" for name in derived_names]
    if write_excess:
        assignments.append(f"{quote(RANGE_EXCESS_FIELD.column)} = %s")
    return f"UPDATE {tables(db)['proposal']} SET {', '.join(assignments)} WHERE id = %s"


# Reading a vote's context --------------------------------------------------------------------

VALUES = tuple(Vote.Value.values)
SESSION_SELECT = (
    "own.id, own.value, own.qualifications, own.trusted, own.excluded, own.shared, "
    "own.address_range, "
    f"session.burst, {', '.join(f'session.{v}' for v in VALUES)}"
)


@_per_vendor
def _session_sql(db, proposal):
    """The FROM-clause part that reads the participant's vote on ``proposal`` (an SQL
    expression) and, over all their votes, how many they cast or changed since the start of
    the burst window, and how many trusted votes they have of each value (the integrity
    flags). Parameters: :func:`_session_parameters`."""
    vote = tables(db)["vote"]
    by_value = ", ".join(
        f"SUM(CASE WHEN trusted AND value = %s THEN 1 ELSE 0 END) AS {value}" for value in VALUES
    )
    return (
        "(SELECT SUM(CASE WHEN updated_at > %s THEN 1 ELSE 0 END) AS burst, "
        f"{by_value} FROM {vote} WHERE participant_id = %s) AS session "
        f"LEFT JOIN {vote} own ON own.participant_id = %s AND own.proposal_id = {proposal}"
    )


def _session_parameters(db, participant_id, burst_start):
    return [
        db.ops.adapt_datetimefield_value(burst_start),
        *VALUES,
        participant_id,
        participant_id,
    ]


@_per_vendor
def _lock_sql(db):
    """One statement locks the proposal row and reads what a vote needs: the proposal's state
    and counters, whether its consultation is open, the participant's consultation, whether
    they gave a profile, how moderators see them, their actions in their rate-limit window,
    and their session (``_session_sql``)."""
    quote = db.ops.quote_name
    stored = ", ".join(f"p.{quote(name)}" for name in counters.STORED_COUNTS)
    lock = " FOR UPDATE OF p" if db.features.has_select_for_update_of else ""
    profiled = " OR ".join(f"voter.{quote(field)} <> ''" for field in SEGMENT_FIELDS)
    return (
        "SELECT p.id, p.consultation_id, p.author_id, p.status, "
        "CASE WHEN c.status = %s AND (c.opens_at IS NULL OR c.opens_at <= %s) "
        "AND (c.closes_at IS NULL OR c.closes_at > %s) THEN 1 ELSE 0 END, "
        "voter.consultation_id, "
        f"CASE WHEN {profiled} THEN 1 ELSE 0 END, "
        "voter.excluded, voter.flag, voter.address_range, voter.vote_window, "
        f"voter.vote_actions, {stored}, p.range_excess, "
        f"{SESSION_SELECT} "
        f"FROM {tables(db)['proposal']} p "
        f"JOIN {tables(db)['consultation']} c ON c.id = p.consultation_id "
        f"LEFT JOIN {tables(db)['participant']} voter ON voter.id = %s "
        f"CROSS JOIN {_session_sql(db, 'p.id')} "
        f"WHERE p.id = %s{lock}"
    )


LOCK_COLUMNS = (
    "pk",
    "consultation_id",
    "author_id",
    "status",
    "is_open",
    "voter_consultation",
    "profiled",
    "voter_excluded",
    "voter_flag",
    "voter_range",
    "voter_window",
    "voter_actions",
    *counters.STORED_COUNTS,
    "range_excess",
)


def lock_votable(db, proposal_id, participant_id, now, burst_start):
    """Lock the proposal row and read, in one statement, the proposal (a dict of
    ``LOCK_COLUMNS``, None when there is no such proposal), the participant's vote on it and
    their session as :func:`read_session` reads them, from the statement's snapshot.
    ``burst_start``: the start of the burst window."""
    when = db.ops.adapt_datetimefield_value(now)
    with statement_cursor(db) as cursor:
        cursor.execute(
            _lock_sql(db),
            [
                Consultation.Status.OPEN,
                when,
                when,
                participant_id,
                *_session_parameters(db, participant_id, burst_start),
                proposal_id,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None, None, None
    proposal = dict(zip(LOCK_COLUMNS, row, strict=False))
    proposal["range_excess"] = RANGE_EXCESS_FIELD.from_db_value(proposal["range_excess"], None, db)
    return (proposal, *_session(db, row[len(LOCK_COLUMNS) :]))


def read_session(db, participant_id, proposal_id, burst_start):
    """The participant's current vote on the proposal (a dict, None when it is their first)
    and their session: ``burst`` votes cast or changed since ``burst_start``, and ``trusted``
    votes by value."""
    with statement_cursor(db) as cursor:
        cursor.execute(
            f"SELECT {SESSION_SELECT} FROM {_session_sql(db, '%s')}",
            [*_session_parameters(db, participant_id, burst_start), proposal_id],
        )
        return _session(db, cursor.fetchone())


def _session(db, row):
    pk, value, qualifications, trusted, excluded, shared, address_range, *rest = row
    burst, *by_value = rest
    session = {
        "burst": burst or 0,
        "trusted": {name: count or 0 for name, count in zip(VALUES, by_value, strict=True)},
    }
    if pk is None:
        return None, session
    previous = {
        "pk": pk,
        "value": value,
        "qualifications": QUALIFICATIONS_FIELD.from_db_value(qualifications, None, db),
        "trusted": bool(trusted),
        "excluded": bool(excluded),
        "shared": bool(shared),
        "address_range": address_range,
    }
    return previous, session


# Counting a participant's votes ----------------------------------------------------------------


def participant_action(db, participant_id, window):
    """The UPDATE counting one vote action (a vote or a change) of the participant in the
    rate-limit ``window`` (its number): the count starts again at 1 in a new window."""
    return (
        f"UPDATE {tables(db)['participant']} SET vote_actions = CASE WHEN vote_window = %s "
        "THEN vote_actions + 1 ELSE 1 END, vote_window = %s WHERE id = %s",
        [window, window, participant_id],
    )


# Writing a vote ------------------------------------------------------------------------------

VOTE_COLUMNS = (
    "value",
    "qualifications",
    "trusted",
    "excluded",
    "shared",
    "sequence",
    "address_range",
)


def _vote_values(db, cast, now):
    return [
        cast.value,
        QUALIFICATIONS_FIELD.get_db_prep_save(cast.qualifications, db),
        cast.trusted,
        cast.excluded,
        cast.shared,
        cast.sequence,
        cast.address_range,
        now,
    ]


def vote_insert(db, cast, now):
    """The INSERT of the first vote ``cast`` (an unsaved ``Vote``) of a participant."""
    when = db.ops.adapt_datetimefield_value(now)
    return (
        f"INSERT INTO {tables(db)['vote']} (participant_id, proposal_id, "
        f"{', '.join(VOTE_COLUMNS)}, updated_at, created_at) "
        f"VALUES ({', '.join(['%s'] * (len(VOTE_COLUMNS) + 4))})",
        [cast.participant_id, cast.proposal_id, *_vote_values(db, cast, when), when],
    )


def vote_replace(db, cast, now):
    """The UPDATE replacing the stored vote ``cast.pk`` by ``cast``."""
    when = db.ops.adapt_datetimefield_value(now)
    assignments = ", ".join(f"{name} = %s" for name in (*VOTE_COLUMNS, "updated_at"))
    return (
        f"UPDATE {tables(db)['vote']} SET {assignments} WHERE id = %s",
        [*_vote_values(db, cast, when), cast.pk],
    )

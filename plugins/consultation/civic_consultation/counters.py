"""The counters votes move, and the hand-written statements that move them.

A proposal keeps counters of its trusted votes (values and qualifications), of shared-link and
untrusted votes, and the derived columns ranking and sampling read (``scoring.derive``);
segment counters and the consultation's sharded live counters move with them. Every statement
of the vote path names every counter it may move, so its text does not change from one vote
to the next and PostgreSQL can prepare it once per connection; the vote path in ``services``
sends its writes through :func:`execute_writes`.
"""

import functools
import random

from django.db import DEFAULT_DB_ALIAS, connection, connections

from civic_consultation import integrity, scoring
from civic_consultation.adapter import get_adapter
from civic_consultation.app_settings import app_settings
from civic_consultation.models import (
    Consultation,
    CounterShard,
    Participant,
    Proposal,
    SegmentCounter,
    Vote,
)


def bump_counter(consultation_id, **deltas):
    """Add to the live counters through one random shard row."""
    execute_writes([counter_bump(consultation_id, deltas)])


def counter_bump(consultation_id, deltas):
    """The upsert adding ``deltas`` to one random shard row of the live counters."""
    quote = connection.ops.quote_name
    table = quote(CounterShard._meta.db_table)
    names = ("participants", "proposals", "votes")
    updates = ", ".join(f"{name} = {table}.{name} + %s" for name in deltas)
    return (
        f"INSERT INTO {table} (consultation_id, shard, {', '.join(names)}) "
        f"VALUES (%s, %s, %s, %s, %s) ON CONFLICT (consultation_id, shard) DO UPDATE SET {updates}",
        [
            consultation_id,
            random.randrange(app_settings.COUNTER_SHARDS),
            *(deltas.get(name, 0) for name in names),
            *deltas.values(),
        ],
    )


def statement_cursor():
    """A cursor for the few hand-written statements a vote runs thousands of times. On
    PostgreSQL with psycopg 3 it binds parameters on the server, so that when the site allows
    prepared statements (``DATABASES`` ``OPTIONS`` ``prepare_threshold``; Django leaves them
    off for transaction-pooling proxies) each statement is planned once per connection instead
    of at every vote: planning was most of the database's work for a vote."""
    # The wrapper itself, not the ``connection`` proxy, which looks it up at every attribute.
    database = connections[DEFAULT_DB_ALIAS]
    if database.vendor != "postgresql":
        return database.cursor()
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    if not is_psycopg3:
        return database.cursor()
    import psycopg

    database.ensure_connection()
    database.validate_thread_sharing()
    with database.wrap_database_errors:
        cursor = psycopg.Cursor(database.connection)
    if database.queries_logged:
        return database.make_debug_cursor(cursor)
    return database.make_cursor(cursor)


def execute_writes(statements):
    """Run independent writes (``(sql, parameters)`` pairs touching different rows). On
    PostgreSQL they go as one statement of data-modifying CTEs: one round trip instead of
    one each, which is what the vote path waits on."""
    with statement_cursor() as cursor:
        if connection.vendor == "postgresql" and len(statements) > 1:
            cursor.execute(
                "WITH "
                + ", ".join(f"write{index} AS ({sql})" for index, (sql, _) in enumerate(statements))
                + " SELECT 1",
                [parameter for _, parameters in statements for parameter in parameters],
            )
        else:
            for sql, parameters in statements:
                cursor.execute(sql, parameters)


def contributions(value, qualifications, trusted=True, excluded=False, shared=False):
    """The counter increments one vote stands for (none while a moderator excludes it)."""
    if excluded:
        return {}
    if not trusted:
        return {f"untrusted_{value}": 1}
    if shared:
        return {f"shared_{value}": 1}
    return {value: 1, **dict.fromkeys(qualifications, 1)}


def move_segments(participant_id, proposal_id, delta):
    """Add ``delta`` to the segment counters of the participant's profile (nothing when the
    participant gave no profile)."""
    if any(delta.values()):
        execute_writes([segments_upsert(participant_id, proposal_id, delta)])


def segments_upsert(participant_id, proposal_id, delta):
    """The one upsert adding ``delta`` to the segment counters (every counter is named, so
    that the statement's text is always the same and can be prepared)."""
    names = scoring.COUNT_NAMES
    quote = connection.ops.quote_name
    table = quote(SegmentCounter._meta.db_table)
    participants = quote(Participant._meta.db_table)
    columns = ", ".join(quote(name) for name in scoring.COUNT_NAMES)
    values = ", ".join(["%s"] * len(scoring.COUNT_NAMES))
    updates = ", ".join(f"{quote(n)} = {table}.{quote(n)} + %s" for n in names)
    # A new row only ever receives additions (a vote's earlier contribution, which a change
    # subtracts, was counted in an existing row); counters never go below zero.
    initial = [max(0, delta.get(name, 0)) for name in scoring.COUNT_NAMES]
    return (
        f"INSERT INTO {table} (proposal_id, dimension, value, {columns}) "
        f"SELECT %s, 'age_range', age_range, {values} FROM {participants}"
        " WHERE id = %s AND age_range <> '' "
        f"UNION ALL SELECT %s, 'district', district, {values} FROM {participants}"
        " WHERE id = %s AND district <> '' "
        f"ON CONFLICT (proposal_id, dimension, value) DO UPDATE SET {updates}",
        [
            *(proposal_id, *initial, participant_id),
            *(proposal_id, *initial, participant_id),
            *(delta.get(name, 0) for name in names),
        ],
    )


# The counters a vote moves and ranking reads: sampled-card counts and shared-link ones.
STORED_COUNTS = (*scoring.COUNT_NAMES, *scoring.SHARED_NAMES)


# Every counter a vote can move (``contributions``): those plus the untrusted ones.
MOVED_COUNTS = (*STORED_COUNTS, *(f"untrusted_{value}" for value in scoring.VALUES))


@functools.cache
def quoted_tables(vendor):
    """Table names quoted for ``vendor`` (cached: the vote path builds its SQL often)."""
    quote = connection.ops.quote_name
    return {
        name: quote(model._meta.db_table)
        for name, model in (
            ("proposal", Proposal),
            ("consultation", Consultation),
            ("participant", Participant),
            ("vote", Vote),
            ("shard", CounterShard),
        )
    }


RANGE_EXCESS_FIELD = Proposal._meta.get_field("range_excess")


def apply(proposal, delta, range_moves=()):
    """Move the proposal's counters and refresh its derived columns."""
    execute_writes([proposal_update(proposal, delta, range_moves)])


def proposal_update(proposal, delta, range_moves=(), store_excess=False):
    """The UPDATE moving the proposal's counters and its derived columns; the row is locked,
    so the values read plus the delta are the new values. ``range_moves``: (address range,
    counters moved) for each vote contribution ``delta`` is made of; one from a range the cap
    weighs down moves the stored excess too (``integrity.move_excess``). ``store_excess``
    writes ``proposal["range_excess"]`` as it is (a new computation)."""
    moved = {name: proposal[name] + delta.get(name, 0) for name in STORED_COUNTS}
    stored = excess = proposal["range_excess"]
    for address_range, contribution in range_moves:
        excess = integrity.move_excess(excess, address_range, contribution)
    thresholds = get_adapter().thresholds(None)
    counts = scoring.ranking_counts(
        scoring.Counts(**{name: moved[name] for name in scoring.COUNT_NAMES}),
        scoring.shared_counts(moved),
        thresholds,
        excess=excess.get("amounts"),
    )
    derived = scoring.derive(counts, thresholds).columns()
    parameters = [*(delta.get(name, 0) for name in MOVED_COUNTS), *derived.values()]
    write_excess = store_excess or excess is not stored
    if write_excess:
        parameters.append(RANGE_EXCESS_FIELD.get_db_prep_save(excess, connection))
    return (
        _counters_sql(connection.vendor, tuple(derived), write_excess),
        [*parameters, proposal["pk"]],
    )


@functools.cache
def _counters_sql(vendor, derived_names, write_excess):
    # Every counter is named, so that the statement's text is one of two, always the same.
    quote = connection.ops.quote_name
    assignments = [f"{quote(name)} = {quote(name)} + %s" for name in MOVED_COUNTS]
    assignments += [f"{quote(name)} = %s" for name in derived_names]
    if write_excess:
        assignments.append(f"{quote('range_excess')} = %s")
    table = quoted_tables(vendor)["proposal"]
    return f"UPDATE {table} SET {', '.join(assignments)} WHERE id = %s"

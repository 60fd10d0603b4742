"""Schemathesis over every operation of the OpenAPI document, anonymously and as a member of
all three plugins: no answer is a 5xx, and every 4xx is in the shared error shape.

Requests go to the site's WSGI application in this process (no network), inside the test's
transaction. Examples are derandomised: a run finds the same cases every time.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from tests.security.responses import refusal_problems

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES_PER_OPERATION = 10
FUZZ = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    # Failures are collected, not raised: nothing to shrink.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


@pytest.fixture(scope="module")
def connection_kept_between_requests():
    """As Django's test client does: the WSGI handler would otherwise close the connection at
    each request (in a transaction, so on PostgreSQL the test's data and transaction go)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(scope="module")
def api_schema(connection_kept_between_requests, demo_site, django_db_blocker):
    with django_db_blocker.unblock():
        return schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


def fuzz(operation, mode, headers):
    """Run one operation's examples; return (examples sent, problems found)."""
    sent, problems = [0], []

    @FUZZ
    @given(case=operation.as_strategy(generation_mode=mode))
    def send(case):
        response = case.call(headers=headers)
        sent[0] += 1
        where = f"{case.method} {case.formatted_path} ({mode.value}: {case.as_curl_command()})"
        problems.extend(refusal_problems(response.status_code, response.content, where))

    try:
        send()
    except Unsatisfiable:
        # Nothing in this operation can be made invalid (no parameter, no body).
        assert mode == GenerationMode.NEGATIVE
    return sent[0], problems


@pytest.mark.parametrize("actor", ["anonymous", "member"])
def test_no_operation_answers_a_server_error(actor, api_schema, demo_site):
    headers = {"Authorization": f"Token {demo_site.token}"} if actor == "member" else {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    examples, problems = 0, []
    for operation in operations:
        for mode in MODES:
            sent, found = fuzz(operation, mode, headers)
            examples += sent
            problems += found
    print(f"{actor}: {len(operations)} operations, {examples} examples, {len(problems)} problems")
    assert len(operations) > 50
    assert not problems, "\n".join(problems)

"""Set-up shared by the consultation tests: an open consultation, a resident who joined it and
an API client speaking for that resident. A test module that needs another consultation (with
proposals, themes or limits) defines its own ``consultation`` fixture, which the others follow."""

import pytest
from rest_framework.test import APIClient

from civic_consultation import services
from civic_consultation.identity import HEADER, make_token
from tests.consultation.factories import ConsultationFactory


@pytest.fixture
def consultation():
    return ConsultationFactory()


@pytest.fixture
def voter(consultation):
    return services.join(consultation)


@pytest.fixture
def voter_client(voter):
    """An API client holding the voter's token in a header, as a mobile app would."""
    client = APIClient()
    client.credentials(**{HEADER: make_token(voter)})
    return client

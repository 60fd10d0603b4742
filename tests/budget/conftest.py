import pytest
from django.test import Client
from django.utils import translation

from civic_budget import phases
from tests.budget import factories


@pytest.fixture(autouse=True)
def english():
    """Assertions read the English source strings; the site itself defaults to French."""
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def city(db):
    return factories.city(phases.VOTE)


@pytest.fixture
def resident(db):
    return factories.UserFactory(username="camille")


def add_budget_page(process, slug="budget"):
    from wagtail.models import Site

    from civic_budget.models import BudgetPage

    root = Site.objects.get(is_default_site=True).root_page
    page = BudgetPage(title="Budget participatif", slug=slug, process=process)
    root.add_child(instance=page)
    return page


@pytest.fixture
def budget_page(city):
    return add_budget_page(city[0])

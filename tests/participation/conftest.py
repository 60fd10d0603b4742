"""A small city: two councils, two services and one person per role and scope."""

from dataclasses import dataclass

import pytest

from tests.participation import factories


@dataclass
class City:
    council: object
    other_council: object
    service: object
    other_service: object
    member: object
    referent: object
    other_member: object
    other_referent: object
    agent: object
    manager: object
    other_agent: object
    coordinator: object
    elected: object


@pytest.fixture
def city(db):
    council = factories.CouncilFactory(name="Conseil participatif Bourtzwiller")
    other_council = factories.CouncilFactory(name="Conseil participatif Rebberg")
    service = factories.ServiceFactory(name="Voirie")
    other_service = factories.ServiceFactory(name="Espaces verts")
    return City(
        council=council,
        other_council=other_council,
        service=service,
        other_service=other_service,
        member=factories.council_member(council, username="member"),
        referent=factories.council_member(council, referent=True, username="referent"),
        other_member=factories.council_member(other_council, username="other_member"),
        other_referent=factories.council_member(
            other_council, referent=True, username="other_referent"
        ),
        agent=factories.service_agent(service, username="agent"),
        manager=factories.service_agent(service, manager=True, username="manager"),
        other_agent=factories.service_agent(other_service, username="other_agent"),
        coordinator=factories.coordinator(username="coordinator"),
        elected=factories.UserFactory(username="elected", groups=["Elected officials"]),
    )


@pytest.fixture
def index_page(db):
    from wagtail.models import Site

    from civic_participation.models import ParticipationIndexPage

    root = Site.objects.get(is_default_site=True).root_page
    return root.add_child(
        instance=ParticipationIndexPage(title="Demandes et offres", slug="demandes-et-offres")
    )


ROLES = ("anonymous", "member", "other_member", "agent", "other_agent", "coordinator")


@pytest.fixture
def as_role(city, client):
    """A client signed in as one of the roles of the matrix (or anonymous)."""

    def login(role):
        client.logout()
        if role != "anonymous":
            client.force_login(getattr(city, role))
        return client

    return login


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Each test's files under its own folder: public media, and the private attachments the
    plugin keeps next to them (``attachments.default_private_root``)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "private"

"""The moderation queue in the member space."""

import pytest

from civic_consultation.models import Proposal
from tests.consultation.factories import (
    ProposalFactory,
    UserFactory,
    moderator,
)

pytestmark = pytest.mark.django_db


def test_moderator_reviews_next_and_accepts_with_a_theme(client, consultation):
    from tests.consultation.factories import ThemeFactory

    theme = ThemeFactory(consultation=consultation)
    proposal = ProposalFactory(
        consultation=consultation, status="pending", text="Il faut <b>des bancs</b>"
    )
    client.force_login(moderator())
    queue = client.get(f"/admin/consultation-moderation/{consultation.pk}/")
    assert queue.status_code == 200
    assert "&lt;b&gt;des bancs&lt;/b&gt;" in queue.content.decode()
    response = client.post(f"/admin/consultation-moderation/{consultation.pk}/next/")
    assert response.url.endswith(f"/proposal/{proposal.pk}/")
    review = client.get(response.url)
    assert review.status_code == 200
    client.post(response.url, {"decision": "accept", "theme": theme.pk})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.theme) == (Proposal.Status.ACCEPTED, theme)


def test_moderator_refuses_with_a_reason_and_bulk_postpones(client, consultation):
    first, second, third = (
        ProposalFactory(consultation=consultation, status="pending") for _ in range(3)
    )
    client.force_login(moderator())
    client.post(
        f"/admin/consultation-moderation/proposal/{first.pk}/",
        {"decision": "refuse", "reason": "off_topic"},
    )
    client.post(
        f"/admin/consultation-moderation/{consultation.pk}/",
        {"proposals": [second.pk, third.pk], "action": "postpone"},
    )
    statuses = dict(Proposal.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "refused", second.pk: "postponed", third.pk: "postponed"}


def test_people_without_the_role_are_kept_out(client, consultation):
    proposal = ProposalFactory(consultation=consultation, status="pending")
    urls = [
        "/admin/consultation-moderation/",
        f"/admin/consultation-moderation/{consultation.pk}/",
        f"/admin/consultation-moderation/proposal/{proposal.pk}/",
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page
    resident = UserFactory()
    from django.contrib.auth.models import Permission

    resident.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(resident)
    for url in urls:
        # Wagtail answers a refused admin view with a redirect to the dashboard.
        response = client.get(url)
        assert (response.status_code, response.url) == (302, "/admin/")
    client.post(urls[2], {"decision": "accept"})
    assert Proposal.objects.get(pk=proposal.pk).status == "pending"


def test_proposal_listing_in_the_member_space(client, consultation):
    ProposalFactory(consultation=consultation, text="Il faut des fontaines")
    client.force_login(moderator())
    response = client.get("/admin/civic_consultation/proposal/")
    assert response.status_code == 200
    assert "Il faut des fontaines" in response.content.decode()


def test_moderator_archives_an_accepted_proposal(client, consultation):
    from civic_consultation.models import Event

    proposal = ProposalFactory(consultation=consultation)
    url = f"/admin/consultation-moderation/proposal/{proposal.pk}/"
    client.force_login(moderator())
    assert 'value="archive"' in client.get(url).content.decode()
    response = client.post(url, {"decision": "archive"})
    assert response.url.endswith(f"/admin/consultation-moderation/{consultation.pk}/")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ARCHIVED
    assert Event.objects.get(proposal=proposal, kind="archived").visibility == "public"
    assert 'value="archive"' not in client.get(url).content.decode()


def test_the_login_redirect_works_without_accounts_urls(client, consultation, settings):
    """The consultation's one login redirect (the moderation views of the member space) goes to
    Wagtail's admin login, whatever LOGIN_URL says: a site without /accounts/ (and the
    plugin-alone site) still gets a page that answers."""
    settings.LOGIN_URL = "/accounts/login/"  # Django's default, a 404 in a `wagtail start` site
    response = client.get(f"/admin/consultation-moderation/{consultation.pk}/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
    assert client.get(response.url).status_code == 200

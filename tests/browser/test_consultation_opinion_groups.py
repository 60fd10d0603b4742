"""The results page with opinion groups, bridging ranking and identity levels, in Chromium:
the three blocks are there and pass the accessibility audit."""

import pytest
from playwright.sync_api import expect

from civic_consultation import tasks
from tests.consultation.factories import consultation_page
from tests.consultation.test_opinion_groups import seed_consultation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_results_with_opinion_groups_pass_the_audit(
    live_server, page, wagtail_roots, axe_violations, settings
):
    settings.CIVIC_CONSULTATION_OPINION_GROUPS = {"MIN_PARTICIPANTS": 10, "MIN_GROUP_VOTES": 3}
    consultation, proposals = seed_consultation()
    tasks.compute_opinion_groups(consultation.pk)
    page.goto(live_server.url + consultation_page(consultation).url + "resultats/")
    bridging = page.locator("section[aria-labelledby=bridging-title]")
    expect(bridging.locator("li").first).to_contain_text(proposals[12].text)
    expect(page.locator("section[aria-labelledby=groups-title] h3")).to_have_count(3)
    expect(page.locator("section[aria-labelledby=identity-title] h3")).to_have_count(3)
    assert axe_violations(page) == []

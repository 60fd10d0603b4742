"""Sub-page links by route name, loadable wherever civic_core is installed."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from wagtail.models import Site


@pytest.mark.django_db
def test_routablepageurl_links_a_sub_page_by_name():
    from civic_consultation.models import ConsultationPage
    from tests.consultation.factories import ConsultationFactory

    consultation = ConsultationFactory()
    root = Site.objects.get(is_default_site=True).root_page
    page = root.add_child(
        instance=ConsultationPage(title="Consult", slug="consult", consultation=consultation)
    )
    request = RequestFactory().get("/")
    rendered = Template('{% load civic_core %}{% routablepageurl page "results" %}').render(
        Context({"page": page, "request": request})
    )
    assert rendered == page.url + page.reverse_subpage("results")

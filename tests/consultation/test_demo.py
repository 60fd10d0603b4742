"""The demo command builds Mulhouse solidaire once."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civic_consultation.models import Consultation, Proposal, Vote

pytestmark = pytest.mark.django_db


def test_the_demo_refuses_a_production_site(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="allow-production"):
        call_command("load_demo_consultation", voters=6, sequences=1)
    assert not Consultation.objects.exists()


def test_demo_consultation_is_built_once(settings):
    settings.DEBUG = True
    call_command("load_demo_consultation", voters=6, sequences=1)
    consultation = Consultation.objects.get(slug="mulhouse-solidaire")
    assert consultation.question == "Comment améliorer vos conditions de vie à Mulhouse ?"
    assert consultation.themes.count() == 7
    assert consultation.proposals.filter(status=Proposal.Status.ACCEPTED).count() > 150
    assert consultation.proposals.filter(status=Proposal.Status.PENDING).exists()
    assert Vote.objects.filter(trusted=True).count() == 6 * 12
    assert consultation.pages.count() == 1
    from django.contrib.auth import get_user_model

    assert (
        get_user_model()
        .objects.get(username="moderator")
        .groups.filter(name="Consultation moderators")
        .exists()
    )
    settings.DEBUG = False  # a staging or training copy says so explicitly
    call_command("load_demo_consultation", voters=6, sequences=1, allow_production=True)
    assert Consultation.objects.count() == 1 and Vote.objects.count() == 6 * 12

"""Admin links are built in one place; timelines of every plugin are append-only."""

import pytest
from django.apps import apps
from django.urls import NoReverseMatch

from civic_core import admin_urls
from civic_core.records import AppendOnlyError, AppendOnlyModel

EVENT_MODELS = [
    ("civic_participation", "TimelineEvent"),
    ("civic_consultation", "Event"),
    ("civic_budget", "ProjectEvent"),
]


def test_admin_links_follow_the_modeladmin_names(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://ville.example"
    request_model = apps.get_model("civic_participation", "Request")
    item = request_model(pk=42)
    assert admin_urls.inspect_url(item) == "/admin/civic_participation/request/inspect/42/"
    assert (
        admin_urls.inspect_url(item, full=True)
        == "https://ville.example/admin/civic_participation/request/inspect/42/"
    )
    assert admin_urls.index_url(request_model) == "/admin/civic_participation/request/"


def test_a_model_the_admin_does_not_register_has_no_link():
    group = apps.get_model("auth", "Group")(pk=1)
    with pytest.raises(NoReverseMatch):
        admin_urls.inspect_url(group)
    assert admin_urls.inspect_url_or_none(group) is None


@pytest.mark.django_db
@pytest.mark.parametrize(("app_label", "model_name"), EVENT_MODELS)
def test_timeline_events_are_append_only(app_label, model_name):
    model = apps.get_model(app_label, model_name)
    assert issubclass(model, AppendOnlyModel)
    with pytest.raises(AppendOnlyError):
        model.objects.all().update(message="rewritten")
    with pytest.raises(AppendOnlyError):
        model.objects.all().delete()
    stored = model()
    stored._state.adding = False
    with pytest.raises(AppendOnlyError):
        stored.save()
    with pytest.raises(AppendOnlyError):
        stored.delete()

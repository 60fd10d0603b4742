"""Deadlines and reminders in the member space: own reminders, item deadlines, preferences,
closure days and versioned policies edited by coordinators."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from civic_participation import reminders, services
from civic_participation.models import ClosureDay, DeadlinePolicy, ReminderPreference
from civic_participation.workflow import perform
from tests.participation.factories import draft_request

PARIS = ZoneInfo("Europe/Paris")
MY_REMINDERS = "civic_participation_reminderdelivery_modeladmin_index"


def at(month, day, hour=10):
    return datetime(2026, month, day, hour, tzinfo=PARIS)


def overdue_request(city):
    item = draft_request(city.council, city.member, service=city.service, title="Trottoir abîmé")
    perform(item, "submit", city.referent, now=at(3, 2))
    reminders.sweep(at(3, 16))  # D+5 working days: every city rung at once
    return item


def test_each_person_lists_the_reminders_addressed_to_them(city, client):
    overdue_request(city)
    client.force_login(city.manager)
    body = client.get(reverse(MY_REMINDERS)).content.decode()
    assert "Trottoir abîmé" in body
    client.force_login(city.other_agent)
    assert "Trottoir abîmé" not in client.get(reverse(MY_REMINDERS)).content.decode()
    client.logout()
    assert client.get(reverse(MY_REMINDERS)).status_code == 302


def test_the_item_page_shows_deadlines_to_members_and_the_reminder_log_to_staff_only(city, client):
    item = overdue_request(city)
    url = reverse("civic_participation_request_modeladmin_inspect", args=[item.pk])
    client.force_login(city.agent)
    body = client.get(url).content.decode()
    assert "participation-deadlines" in body
    assert "Escalation to the service manager" in body or "Escalade" in body
    client.force_login(city.member)
    body = client.get(url).content.decode()
    assert "participation-deadlines" in body
    assert "recipient(s) notified" not in body and "destinataire" not in body


def test_people_switch_plain_reminders_off_in_their_account(city, client):
    client.force_login(city.agent)
    response = client.post(
        reverse("wagtailadmin_account"),
        {
            "participation_reminders-receive_reminders": "",
            # Wagtail's own panels of the account page, left as they are.
            "name_email-first_name": city.agent.first_name,
            "name_email-last_name": city.agent.last_name,
            "name_email-email": city.agent.email,
            "locale-preferred_language": "fr",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ReminderPreference.objects.get(user=city.agent).receive_reminders is False


def test_coordinators_edit_closure_days_and_add_policy_versions(city, client):
    client.force_login(city.coordinator)
    response = client.post(
        reverse("civic_participation_closureday_modeladmin_create"),
        {"day": "2026-05-15", "label": "Pont de l'Ascension"},
    )
    assert response.status_code == 302
    assert ClosureDay.objects.filter(label="Pont de l'Ascension").exists()
    response = client.post(
        reverse("civic_participation_deadlinepolicy_modeladmin_create"),
        {
            "kind": "acknowledge",
            "days": 3,
            "counting": "working",
            "service": city.service.pk,
            "valid_from": "2026-01-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    policy = DeadlinePolicy.objects.get()
    edit = reverse("civic_participation_deadlinepolicy_modeladmin_edit", args=[policy.pk])
    assert client.get(edit).status_code in (302, 403)

    client.force_login(city.agent)
    assert client.get(reverse("civic_participation_closureday_modeladmin_index")).status_code in (
        302,
        403,
    )


def test_an_extension_is_public_on_the_item_page(city, client, index_page):
    item = draft_request(city.council, city.member, service=city.service)
    perform(item, "submit", city.referent, now=at(3, 2))
    deadline = item.deadlines.get()
    services.extend_deadline(city.coordinator, deadline, at(3, 31).date(), "Congés", now=at(3, 3))
    body = client.get(f"{index_page.url}demandes/{item.pk}/").content.decode()
    assert "Congés" in body


def test_managers_extend_a_deadline_from_the_item_page_agents_cannot(city, client):
    item = draft_request(city.council, city.member, service=city.service)
    perform(item, "submit", city.referent, now=at(3, 2))
    deadline = item.deadlines.get()
    inspect = reverse("civic_participation_request_modeladmin_inspect", args=[item.pk])
    extend = reverse("civic_participation_extend_deadline", args=[deadline.pk])
    form = {"due_on": "2026-04-30", "reason": "Fermeture exceptionnelle du service"}

    client.force_login(city.agent)
    assert extend not in client.get(inspect).content.decode()
    assert client.post(extend, form).status_code == 200
    deadline.refresh_from_db()
    assert not deadline.extensions.exists()

    client.force_login(city.manager)
    assert extend in client.get(inspect).content.decode()
    assert client.post(extend, form).status_code == 302
    deadline.refresh_from_db()
    assert deadline.due_on.isoformat() == "2026-04-30"
    assert deadline.extensions.get().actor == city.manager

    client.force_login(city.other_agent)
    assert client.get(extend).status_code == 404  # not an item they may see


def test_the_member_api_lists_an_items_deadlines(city, client):
    item = draft_request(city.council, city.member, service=city.service)
    perform(item, "submit", city.referent, now=at(3, 2))
    perform(item, "acknowledge", city.agent, now=at(3, 12))
    client.force_login(city.agent)
    body = client.get(f"/api/participation/requests/{item.pk}/").json()
    assert [(row["kind"], row["status"], row["met_late"]) for row in body["deadlines"]] == [
        ("acknowledge", "met", True),
        ("answer", "open", None),
    ]

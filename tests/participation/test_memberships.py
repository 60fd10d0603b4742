"""Access from memberships: a council or service membership, however it is created, gives the
permissions it implies (the global role group of the member space included), with no group to
tick by hand."""

import pytest
from django.urls import reverse

from civic_participation import permissions
from civic_participation.models import CityService, CouncilMembership, ServiceMembership
from civic_participation.workflow import perform
from tests.participation import factories

INDEX = "civic_participation_request_modeladmin_index"


def group_names(user):
    return set(user.groups.values_list("name", flat=True))


@pytest.mark.django_db
def test_a_council_membership_alone_opens_the_member_space_and_the_council():
    council = factories.CouncilFactory()
    user = factories.UserFactory()
    assert not permissions.can_use_member_space(user)
    CouncilMembership.objects.create(
        council=council, user=user, role=CouncilMembership.Role.REFERENT
    )
    user = type(user).objects.get(pk=user.pk)  # fresh permission cache
    assert {"Council members", "Council référents"} <= group_names(user)
    assert permissions.can_use_member_space(user)
    assert list(permissions.councils_user_can_draft_for(user)) == [council]


@pytest.mark.django_db
def test_changing_and_removing_a_seat_keeps_the_role_groups_in_step():
    council, other = factories.CouncilFactory(), factories.CouncilFactory()
    user = factories.UserFactory()
    seat = CouncilMembership.objects.create(
        council=council, user=user, role=CouncilMembership.Role.REFERENT
    )
    CouncilMembership.objects.create(council=other, user=user)
    seat.role = CouncilMembership.Role.MEMBER
    seat.save()
    assert "Council référents" not in group_names(user)
    seat.delete()
    assert "Council members" in group_names(user)  # still a member of the other council
    CouncilMembership.objects.get(council=other, user=user).delete()
    assert not {"Council members", "Council référents"} & group_names(user)


@pytest.mark.django_db
def test_a_service_membership_alone_lets_an_agent_handle_the_services_items(city, client):
    agent = factories.UserFactory(username="new_agent")
    ServiceMembership.objects.create(service=city.service, user=agent)
    item = factories.acknowledged_request(city)
    agent = type(agent).objects.get(pk=agent.pk)
    assert "City agents" in group_names(agent)
    assert permissions.has_perm_on(agent, "handle_request", item)
    client.force_login(agent)
    assert client.get(reverse(INDEX)).status_code == 200
    perform(item, "start_review", agent)


@pytest.mark.django_db
def test_a_manager_gets_the_managers_group():
    service = factories.ServiceFactory()
    user = factories.UserFactory()
    ServiceMembership.objects.create(
        service=service, user=user, role=ServiceMembership.Role.MANAGER
    )
    assert "Service managers" in group_names(user)


@pytest.mark.django_db
def test_bulk_writes_through_the_many_to_many_fields_give_and_take_permissions():
    service, council = factories.ServiceFactory(), factories.CouncilFactory()
    agent, member = factories.UserFactory(), factories.UserFactory()
    service.staff.add(agent)  # what the City service form's Staff field does (bulk, no save())
    council.members.add(member)
    assert permissions.service_group(service).name in group_names(agent)
    assert {"City agents"} <= group_names(agent)
    assert permissions.council_group(council).name in group_names(member)
    assert "Council members" in group_names(member)
    service.staff.remove(agent)
    assert not {"City agents", permissions.service_group(service).name} & group_names(agent)
    member.councils.clear()  # the reverse side
    assert "Council members" not in group_names(member)


@pytest.mark.django_db
def test_agents_picked_in_the_city_service_form_get_their_permissions(city, client):
    client.force_login(city.coordinator)
    agent = factories.UserFactory(username="picked")
    response = client.post(
        reverse("civic_participation_cityservice_modeladmin_create"),
        {"name": "Propreté", "slug": "proprete", "staff": [agent.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    service = CityService.objects.get(slug="proprete")
    assert ServiceMembership.objects.filter(service=service, user=agent).exists()
    assert {"City agents", permissions.service_group(service).name} <= group_names(agent)
    assert list(permissions.services_user_can_draft_for(agent)) == [service]


@pytest.mark.django_db
def test_the_staff_field_is_optional(city, client):
    client.force_login(city.coordinator)
    response = client.post(
        reverse("civic_participation_cityservice_modeladmin_create"),
        {"name": "Culture", "slug": "culture"},
    )
    assert response.status_code == 302
    assert CityService.objects.filter(slug="culture").exists()


@pytest.mark.django_db
def test_adding_a_picked_agent_again_updates_the_seat_instead_of_refusing_it(city, client):
    client.force_login(city.coordinator)
    city.service.staff.add(agent := factories.UserFactory(username="twice"))
    response = client.post(
        reverse("civic_participation_servicemembership_modeladmin_create"),
        {"service": city.service.pk, "user": agent.pk, "role": "manager"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    [seat] = ServiceMembership.objects.filter(service=city.service, user=agent)
    assert seat.role == ServiceMembership.Role.MANAGER
    assert "Service managers" in group_names(agent)


@pytest.mark.django_db
def test_a_council_seat_added_in_the_admin_form_opens_the_member_space(city, client):
    client.force_login(city.coordinator)
    user = factories.UserFactory(username="newcomer")
    response = client.post(
        reverse("civic_participation_councilmembership_modeladmin_create"),
        {
            "council": city.council.pk,
            "user": user.pk,
            "role": "referent",
            "joined_on": "2026-01-05",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.force_login(user)
    assert client.get(reverse(INDEX)).status_code == 200
    assert reverse("civic_participation_new_request") in client.get(reverse(INDEX)).content.decode()


@pytest.mark.django_db
def test_an_import_without_signals_is_synced_by_the_command():
    from io import StringIO

    from django.core.management import call_command

    council, service = factories.CouncilFactory(), factories.ServiceFactory()
    member, agent = factories.UserFactory(), factories.UserFactory()
    CouncilMembership.objects.bulk_create(
        [CouncilMembership(council=council, user=member, role=CouncilMembership.Role.REFERENT)]
    )
    ServiceMembership.objects.bulk_create([ServiceMembership(service=service, user=agent)])
    assert not permissions.can_use_member_space(member)
    out = StringIO()
    call_command("sync_participation_access", stdout=out)
    assert "2 memberships synced" in out.getvalue()
    member = type(member).objects.get(pk=member.pk)
    assert {"Council members", "Council référents"} <= group_names(member)
    assert list(permissions.councils_user_can_draft_for(member)) == [council]
    assert permissions.service_group(service).name in group_names(agent)
    call_command("sync_participation_access", stdout=StringIO())  # idempotent
    assert member.groups.count() == 4

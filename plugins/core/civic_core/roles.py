"""Role groups that a plugin creates or completes after every migration."""

from dataclasses import dataclass, field

ADMIN_ACCESS = "wagtailadmin.access_admin"


@dataclass(frozen=True)
class RoleGroup:
    """A Django group a plugin needs, with the model permissions it grants.

    Model permissions say which admin tools a group sees; what a member may do with a given
    object is decided by object permissions and the plugin's domain layer.
    """

    name: str
    description: str
    permissions: tuple[str, ...] = field(default=())


def sync_role_groups(role_groups, using="default"):
    """Create the groups and add their permissions; never removes what a city added."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    wanted_apps = {ADMIN_ACCESS.split(".")[0]} | {
        dotted.split(".")[0] for role in role_groups for dotted in role.permissions
    }
    # post_migrate reaches the apps in INSTALLED_APPS order: make sure the permissions of the
    # apps referred to exist even when those apps come after the calling one.
    for app_label in wanted_apps:
        create_permissions(apps.get_app_config(app_label), verbosity=0, using=using)
    for role in role_groups:
        group, _created = Group.objects.using(using).get_or_create(name=role.name)
        for dotted in (ADMIN_ACCESS, *role.permissions):
            app_label, codename = dotted.split(".", 1)
            group.permissions.add(
                Permission.objects.using(using).get(
                    content_type__app_label=app_label, codename=codename
                )
            )

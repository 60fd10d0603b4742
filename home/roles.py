"""The communications editors' group: pages, images and documents, nothing else."""

EDITORS_GROUP = "Communications editors"
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
COLLECTION_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document"),
}


def ensure_editor_group(sender=None, using="default", **kwargs):
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    for app_label in ("wagtailadmin", "wagtailcore", *COLLECTION_PERMISSIONS):
        create_permissions(apps.get_app_config(app_label), verbosity=0, using=using)
    group, _created = Group.objects.using(using).get_or_create(name=EDITORS_GROUP)
    group.permissions.add(
        Permission.objects.using(using).get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    root_page = Page.get_first_root_node()
    if root_page is not None:
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.using(using).get_or_create(
                group=group,
                page=root_page,
                permission=Permission.objects.using(using).get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for app_label, codenames in COLLECTION_PERMISSIONS.items():
            for codename in codenames:
                GroupCollectionPermission.objects.using(using).get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=Permission.objects.using(using).get(
                        content_type__app_label=app_label, codename=codename
                    ),
                )

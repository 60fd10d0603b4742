"""Append-only records: timelines and audit logs that nobody rewrites."""

from django.db import models


class AppendOnlyError(ValueError):
    """Something tried to change or delete an append-only record."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name} records are append-only.")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name} records are append-only.")


class AppendOnlyModel(models.Model):
    """A row that is written once; saving it again, updating or deleting it is refused.

    Deleting the object a record belongs to still cascades: the database does that, not this
    model (erasure of personal data goes through the plugin's own command).
    """

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name} records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name} records are append-only.")

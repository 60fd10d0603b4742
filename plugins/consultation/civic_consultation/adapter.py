"""Per-city behaviour of the consultation plugin.

A city subclasses :class:`DefaultConsultationAdapter` and points
``CIVIC_CONSULTATION_ADAPTER`` at its class.
"""

from functools import lru_cache

from django.utils.module_loading import import_string

from civic_consultation import integrity, scoring
from civic_consultation.app_settings import app_settings


class DefaultConsultationAdapter:
    """The behaviour of the reference city; every method is a documented extension point."""

    def refusal_reasons(self, consultation):
        """(code, label) pairs a moderator picks from when refusing a proposal."""
        return tuple(app_settings.REFUSAL_REASONS)

    def thresholds(self, consultation):
        """Minimum exposure, confidence level and zone limits used by the scores."""
        return scoring.Thresholds(min_exposure=app_settings.MIN_EXPOSURE)

    def integrity_rules(self, consultation):
        """When a session is flagged for a moderator's look (see integrity.py)."""
        return integrity.Rules()

    def normalise_district(self, value):
        """District or postal code as stored for segment results."""
        return " ".join(value.split()).upper()[:60]


@lru_cache(maxsize=1)
def get_adapter():
    return import_string(app_settings.ADAPTER)()

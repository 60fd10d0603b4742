"""Per-city behaviour of the consultation plugin.

A city subclasses :class:`DefaultConsultationAdapter` and points
``CIVIC_CONSULTATION_ADAPTER`` at its class.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext

from civic_consultation import integrity, scoring, text
from civic_consultation.app_settings import app_settings
from civic_core.conf import load_adapter


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

    def language(self, consultation):
        """Language code of the consultation's proposals: its own, else the site's."""
        return (consultation and consultation.language) or settings.LANGUAGE_CODE

    def proposal_prefix(self, consultation):
        """The words every proposal starts with: the consultation's own, else the usual words
        of its language ("Il faut" in French, "We need to" in English)."""
        if consultation.proposal_prefix.strip():
            return consultation.proposal_prefix.strip()
        with translation.override(self.language(consultation)):
            return pgettext("start of every proposal", "We need to")

    def text_language(self, consultation):
        """The Snowball algorithm that stems the proposals to find similar ones ("french",
        "english"...), or None to compare words without stemming."""
        return text.snowball_language(self.language(consultation))

    def normalise_district(self, value):
        """District or postal code as stored for segment results."""
        return " ".join(value.split()).upper()[:60]


def get_adapter():
    """The site's adapter (``CIVIC_CONSULTATION_ADAPTER``), one instance per class."""
    return load_adapter(app_settings.ADAPTER)

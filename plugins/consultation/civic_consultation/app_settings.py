"""Settings of the consultation plugin, each overridable as ``CIVIC_CONSULTATION_<NAME>``."""

from django.utils.translation import gettext_lazy as _

from civic_core.conf import PluginSettings

DEFAULTS = {
    # Dotted path of the class that holds per-city behaviour (see adapter.py).
    "ADAPTER": "civic_consultation.adapter.DefaultConsultationAdapter",
    # Cards per sequence and the share kept for proposals still being tested.
    "SEQUENCE_SIZE": 12,
    "TESTING_SHARE": 0.5,
    # Trusted votes a proposal gets before it can leave the testing pool or be retired.
    "MIN_EXPOSURE": 25,
    # Bounded candidate pools of the sampler: best upper bounds plus a random slice.
    "CANDIDATE_POOL_BEST": 120,
    "CANDIDATE_POOL_RANDOM": 120,
    # Thompson draws used to estimate each card's selection probability.
    "PROBABILITY_DRAWS": 32,
    # Cards per author and per theme in one sequence.
    "MAX_PER_AUTHOR": 1,
    "MAX_PER_THEME": 4,
    # Rows summed for the live counters (more rows, less waiting under parallel votes).
    "COUNTER_SHARDS": 16,
    # Minutes a moderator keeps the lock on the proposal they review.
    "LOCK_MINUTES": 15,
    "COOKIE_NAME": "civic_consultation",
    # Seconds a participant token (cookie or header) stays valid after it was issued; the
    # pages issue a new one at each contribution. Also the cookie's lifetime.
    "COOKIE_MAX_AGE": 180 * 24 * 3600,
    # Days after a consultation's closing date when what identifies its participants (account
    # link, profile, network keys) is cleared by the daily retention task (services/privacy.py).
    "IDENTITY_RETENTION_DAYS": 180,
    # Refusal reasons offered to moderators: (code, label).
    "REFUSAL_REASONS": (
        ("duplicate", _("Duplicate of another proposal")),
        ("off_topic", _("Off topic")),
        ("unclear", _("Unclear or incomplete")),
        ("offensive", _("Offensive or discriminatory")),
        ("personal_data", _("Contains personal data")),
        ("advertising", _("Advertising or promotion")),
        ("several_ideas", _("Several ideas in one proposal")),
        ("illegal", _("Contrary to the law")),
    ),
    # Rate limits: (actions, seconds) per participant and per network address (IPv4 address or
    # IPv6 /64). Generous for people, tight for scripts; a shared address (library, school)
    # gets the address limits, hence their size. A site's dict is merged over this one: it
    # names the limits it changes, and switches one off with None.
    "RATE_LIMITS": {
        "vote_participant": (120, 3600),
        "vote_address": (1200, 3600),
        "join_address": (60, 600),
        "proposal_participant": (10, 3600),
        "proposal_address": (40, 3600),
    },
    # Proof of work before submitting a proposal and drawing a new sequence (challenge.py):
    # leading zero bits of SHA-256 the browser must find (16 bits: about 65,000 hashes, half a
    # second in headless Chromium on a busy 2-CPU machine; each bit doubles it) and how long,
    # in seconds, a challenge stays valid. {"enabled": False} switches it off.
    "PROOF_OF_WORK": {"enabled": True, "difficulty": 16, "seconds": 1200},
    # Minutes between two runs of the address-range cap (ranges.py) on open consultations.
    "ADDRESS_RANGE_MINUTES": 5,
    # Similarity (0-100) above which a proposal is suggested as similar.
    "SIMILARITY_THRESHOLD": 62.0,
    # How many of the latest proposals are compared when suggesting similar ones.
    "SIMILARITY_SCOPE": 5000,
    # Opinion groups (opinion.py), recomputed by the task cluster every REFRESH_MINUTES for the
    # open consultations: participants need MIN_VOTES trusted votes to be placed, no groups
    # below MIN_PARTICIPANTS such participants, at most MAX_GROUPS groups; a group must have
    # seen a proposal MIN_GROUP_VOTES times for its rate to count; KEEP_RUNS past runs stay.
    "OPINION_GROUPS": {
        "MIN_VOTES": 5,
        "MIN_PARTICIPANTS": 30,
        "MAX_GROUPS": 5,
        "MIN_GROUP_VOTES": 5,
        "REFRESH_MINUTES": 30,
        "KEEP_RUNS": 3,
    },
}


app_settings = PluginSettings("CIVIC_CONSULTATION_", DEFAULTS)

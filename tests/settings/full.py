"""The reference site as the test suite runs it (SQLite unless DATABASE_URL is set)."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("EMAIL_URL", "locmem://")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DEBUG", "0")
# The test client speaks plain HTTP; production redirects it to HTTPS.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from civic_site.settings import *  # noqa: E402,F403
from civic_site.settings import INSTALLED_APPS, Q_CLUSTER, STORAGES  # noqa: E402

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run inline unless a test starts a real cluster (those tests override this).
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
WAGTAILADMIN_BASE_URL = "http://testserver"
INSTALLED_APPS = list(INSTALLED_APPS)
STATIC_ROOT = None  # served by the finders in tests; nothing is collected
# A proof of work of 8 bits (about 256 hashes): the tests solve real challenges, quickly.
CIVIC_CONSULTATION_PROOF_OF_WORK = {"enabled": True, "difficulty": 8, "seconds": 1200}

"""Settings of the reference site, read from the environment.

Embedded defaults (no variable set, DEBUG=1) give the quick start: SQLite under var/, the
django-q2 ORM broker, e-mail printed on the console. Production sets DATABASE_URL, REDIS_URL,
SECRET_KEY, ALLOWED_HOSTS and EMAIL_URL; a missing one stops start-up with its name.
"""

import os
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from civic_site.environment import (
    database_settings,
    email_settings,
    env_bool,
    env_int,
    env_list,
    lockout_parameters,
    require,
)
from civic_site.identity import openid_connect_settings

SITE_PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = SITE_PACKAGE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("CIVIC_VAR_DIR", BASE_DIR / "var"))

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = require(
    "SECRET_KEY", unless_debug=True, debug=DEBUG, fallback="insecure-development-key-only"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
if not DEBUG and not os.environ.get("ALLOWED_HOSTS"):
    require("ALLOWED_HOSTS", unless_debug=False, debug=DEBUG)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")
# Mulhouse counts working days with the public holidays of Alsace-Moselle.
CIVIC_PARTICIPATION_HOLIDAY_SUBDIVISION = "6AE"

INSTALLED_APPS = [
    "civic_site",
    "home",
    "civic_core",
    "civic_participation",
    "civic_consultation",
    "civic_budget",
    "wagtail_modeladmin",
    "wagtail_headless_preview",
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_q",
    "guardian",
    "axes",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

# Reverse proxies in front of the site whose X-Forwarded-For entries are trusted (0: none).
PROXY_COUNT = env_int("PROXY_COUNT")

MIDDLEWARE = [
    "civic_site.middleware.ForwardedClientAddress",
    "django.middleware.security.SecurityMiddleware",
    "civic_site.middleware.ContentSecurityPolicy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that it turns any login view's lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "civic_site.urls"
WSGI_APPLICATION = "civic_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {"default": database_settings(os.environ.get("DATABASE_URL"), var_dir=VAR_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # A file cache is shared by the web server and the task cluster, unlike local memory.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

Q_CLUSTER = {
    "name": "civic",
    "workers": env_int("Q_WORKERS", 2),
    # A task that outlives `timeout` is killed before the broker hands it out again at `retry`.
    "timeout": 240,
    "retry": 300,
    "max_attempts": 3,
    "catch_up": False,
    "save_limit": 500,
    "label": _("Background tasks"),
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["poll"] = 1

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out client before any password is checked.
    "civic_site.lockout.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Residents sign in on the site's account pages (civic_site.accounts); staff keep Wagtail's
# own login page at /admin/login/, which the member space always uses.
LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
LOGIN_REDIRECT_URL = "/"

# Resident accounts (django-allauth, docs/identity.md): sign-in by e-mail, verified before the
# first sign-in; the city's OpenID Connect provider (FranceConnect) from OIDC_* variables.
ACCOUNT_ADAPTER = "civic_site.accounts.ResidentAccountAdapter"
SOCIALACCOUNT_ADAPTER = "civic_site.accounts.ResidentSocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Per client address (ip) and per e-mail address (key); allauth answers 429 past them.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/m/ip",
    "reset_password": "10/m/ip,3/10m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
# The identity provider vouches for the person: no e-mail round trip after its sign-in, and
# never an automatic link to a local account that merely shares the e-mail address.
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = openid_connect_settings()

# Login lockout (django-axes) of every form and endpoint that checks a password: the Wagtail and
# Django admin logins, the API token and any login calling authenticate() with the request.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = lockout_parameters(
    os.environ.get("LOGIN_LOCKOUT_PARAMETERS", "username+ip_address")
)
# The address ForwardedClientAddress derived from PROXY_COUNT, like every other limit.
AXES_CLIENT_IP_CALLABLE = "civic_site.middleware.client_address"
AXES_USERNAME_CALLABLE = "civic_site.middleware.login_name"
AXES_LOCKOUT_CALLABLE = "civic_site.middleware.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Failed attempts are kept until their cool-off ends; successful logins are not recorded.
AXES_DISABLE_ACCESS_LOG = True

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [SITE_PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
STATICFILES_DIRS = [SITE_PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "civic_site.storage.StaticFilesStorage"
        )
    },
}
# Production runs with or without `collectstatic`: after it, hashed and compressed copies with
# long cache lifetimes; before it, the apps' own files (found at start-up) under their names.
WHITENOISE_USE_FINDERS = True

EMAIL_URL = os.environ.get("EMAIL_URL", "console://" if DEBUG else "")
if not EMAIL_URL:
    require("EMAIL_URL", unless_debug=False, debug=DEBUG)
globals().update(email_settings(EMAIL_URL))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "participation@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

if not DEBUG:
    # The proxy terminates TLS and says so in X-Forwarded-Proto (docs/production.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    # The directive alone lists nothing: the domain's owner submits it to the preload list.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = os.environ.get("REFERRER_POLICY", "same-origin")

# Content-Security-Policy (django-csp). Scripts, styles, fonts and API docs come from the site's
# own static files; inline style attributes remain (bar widths, Wagtail's admin), inline
# scripts do not. Editors' embeds (videos, maps) are HTTPS frames.
CONTENT_SECURITY_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:", *env_list("CSP_IMAGE_SOURCES")],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "worker-src": [SELF, "blob:"],
    "frame-src": [SELF, *env_list("CSP_FRAME_SOURCES", default=["https:"])],
    "frame-ancestors": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
}
if os.environ.get("CSP_REPORT_URI"):
    CONTENT_SECURITY_DIRECTIVES["report-uri"] = [os.environ["CSP_REPORT_URI"]]
# CSP_REPORT_ONLY=1 reports violations without blocking, to try a stricter policy first.
if env_bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": CONTENT_SECURITY_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": CONTENT_SECURITY_DIRECTIVES}

# Wagtail
# No request leaves for third parties from the admin: no Gravatar, no release check.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Mulhouse c'est vous")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILAPI_BASE_URL = SITE_URL
WAGTAILAPI_LIMIT_MAX = 100
# A separate front-end that renders drafts; unset, editors preview with the site's templates.
HEADLESS_PREVIEW_URL = os.environ.get("HEADLESS_PREVIEW_URL", "").strip()
HEADLESS_PREVIEW_ENABLED = bool(HEADLESS_PREVIEW_URL)
WAGTAIL_HEADLESS_PREVIEW = {
    "CLIENT_URLS": {"default": HEADLESS_PREVIEW_URL or SITE_URL},
    "REDIRECT_ON_PREVIEW": False,
    "ENFORCE_TRAILING_SLASH": True,
}

# Headless API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "civic_core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": os.environ.get("LOGIN_RATE", "10/min")},
    # Throttles key on REMOTE_ADDR, which ForwardedClientAddress already set from PROXY_COUNT:
    # DRF must not read X-Forwarded-For again (a client writes what it likes there).
    "NUM_PROXIES": 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "wagtail-civic API",
    "DESCRIPTION": "Participation, consultation and participatory budget of the city.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from the site's static files (drf-spectacular-sidecar): no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/",
    "PREPROCESSING_HOOKS": ["civic_site.api.schema.only_civic_endpoints"],
    "COMPONENT_SPLIT_REQUEST": True,
    "TAGS": [
        {
            "name": "participation: public",
            "description": "What the public space shows: published requests and offers with "
            "their stages, councils, city services, themes and the circuits' statistics. No "
            "authentication.",
        },
        {
            "name": "participation: members",
            "description": "The member space of councils and city services: requests, offers "
            "and invitations moved through their acknowledgement circuits, with messages, "
            "notes and attachments. Session or token authentication; a member sees the items "
            "of their own bodies.",
        },
        {
            "name": "consultation",
            "description": "Mass consultation: join as a participant (a signed token), "
            "propose, draw sequences of cards and vote (each after a proof of work), read the "
            "results, segments and opinion groups; moderation for moderators.",
        },
        {
            "name": "budget",
            "description": "Participatory budgeting: processes, projects from submission to "
            "implementation, ballots (online and on paper), turnout and exact, reproducible "
            "results.",
        },
        {
            "name": "token",
            "description": "An API token for a member's username and password (throttled).",
        },
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Wagtail logs every publication and every inline background task at INFO.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

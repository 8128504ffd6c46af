"""Settings shared by every environment. Environments differ only through environment variables."""

from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications -------------------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "django_htmx",
]
# Bottom layer first: an app may import only from apps listed above it (docs/ARCHITECTURE.md, "Layers").
LOCAL_APPS = [
    "apps.organisations",
    "apps.accounts",
    "apps.profiles",
    "apps.audit",
    "apps.notifications",
    "apps.competencies",
    "apps.assessments",
    "apps.development",
    "apps.mentoring",
    "apps.learning_sets",
    "apps.careers",
    "apps.shadowing",
    "apps.succession",
    "apps.buddies",
    "apps.bilaterals",
    "apps.networks",
    "apps.pathways",
    # Acts across every app below it (closing an account, retention); core may read it, nothing below does.
    "apps.privacy",
    "apps.core",
    "apps.exports",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise, so that static files carry the two policies as well: every response does.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.portal",
            ],
        },
    },
]

# --- Security headers ---------------------------------------------------------------------------------------
# docs/ARCHITECTURE.md, "Security headers", says why each directive is there and how to add a script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # the two-factor set-up page shows its QR code as a data: URI
        "font-src": [SELF, "https://assets.nhs.uk"],  # nhsuk-frontend's CSS asks for the Frutiger font there
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Powerful browser features the portal never uses, turned off for every page and anything it might embed. Only
# names Chromium knows: it reports an unknown one ('bluetooth' on Linux) as an error, which fails the browser tests.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# A refused form gets our own page saying what to do; Django logs the reason (logger django.security.csrf).
CSRF_FAILURE_VIEW = "apps.core.views.csrf_failure"

# --- Database -----------------------------------------------------------------------------------------------
# PostgreSQL whenever DATABASE_URL is set; `make run` falls back to SQLite in var/ so it needs no server.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections, checked before reuse: a new connection per request cost about half the throughput under
# gunicorn (issue 20); a connection the server dropped is replaced instead of failing the request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A choice field's options are read with .iterator(), which on PostgreSQL opens a server-side cursor: DECLARE, two
# FETCHes and CLOSE, four round trips for a list of 250 organisations instead of one (issue 20; no code of ours
# streams rows with .iterator()). Also what a transaction-pooling PgBouncer in front of PostgreSQL would need.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True


def without_jit(database: dict[str, Any]) -> dict[str, Any]:
    """PostgreSQL's JIT compiler off for the portal's connections. It starts on any query whose estimated cost
    passes 100,000, and the regional succession view's one aggregate (an EXISTS per post and horizon) is estimated
    at 111,000: 58 of its 65 ms went on compiling it to machine code for a query that reads a few hundred rows
    (issue 20). The portal runs short queries only, for which JIT never pays; commands that scan whole tables can
    still `SET jit = on` in their own session."""
    if "postgresql" in str(database.get("ENGINE", "")):
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return database


DATABASES["default"] = without_jit(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -----------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"

ACCOUNT_ADAPTER = "apps.accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Stepping Up] "
ACCOUNT_RATE_LIMITS = {
    # Sign-in limits (docs/ARCHITECTURE.md, "Sign-in limits"): a whole trust signs in from one NAT address at 9 am,
    # so the address limits are high and only stop floods and spraying; guessing is stopped per account (key).
    "login": "300/m/ip",
    "login_failed": "5/5m/key,60/m/ip,600/h/ip",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Stepping Up"
MFA_RECOVERY_CODE_COUNT = 10
# A code typed in its last seconds reaches us in the next 30-second step and was refused: accept the step before
# (and after, for a phone clock a little fast), as RFC 6238 5.2 recommends, at most one step. Replay protection
# is kept by the forms below, which remember a used code for all the time it is accepted.
MFA_TOTP_TOLERANCE = 1
MFA_FORMS = {
    "authenticate": "apps.accounts.forms.MFAAuthenticateForm",
    "reauthenticate": "apps.accounts.forms.MFAReauthenticateForm",
}
# Recording activity would add a write to every request; sessions are listed with their start time instead.
USERSESSIONS_TRACK_ACTIVITY = False

# --- Forms --------------------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["nhsuk"]
CRISPY_TEMPLATE_PACK = "nhsuk"
CRISPY_FAIL_SILENTLY = not DEBUG
# Django's renderer, with selects and radios built in Python rather than one template per option (issue 20).
FORM_RENDERER = "apps.core.form_renderer.FastWidgetRenderer"

# --- Internationalisation and time --------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT: Path | None = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# nhsuk-frontend's compiled CSS asks for its icons at /assets/...: WhiteNoise serves that folder at the root.
WHITENOISE_ROOT = BASE_DIR / "static" / "vendor" / "webroot"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"

# --- E-mail -------------------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A send that hangs must not outlast the dispatcher's lease on its batch (NOTIFICATIONS["LEASE_SECONDS"]).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Stepping Up <no-reply@stepping-up.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Cache ---------------------------------------------------------------------------------------------------
# allauth's login rate limits and used-TOTP-code memory live in the cache: it must be shared by every web
# process, so production uses Redis (a database number apart from the broker's). Locally, memory is enough.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# --- Celery -------------------------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
BROKER_FILESYSTEM_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 3600}
else:
    # A broker that needs no server, for `make run` only. It is a convenience, not a delivery guarantee:
    # the durable outbox in PostgreSQL (notifications) is what makes sure nothing is lost.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_FILESYSTEM_DIR / "queue"),
        "data_folder_out": str(BROKER_FILESYSTEM_DIR / "queue"),
        "processed_folder": str(BROKER_FILESYSTEM_DIR / "processed"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# --- Notifications ------------------------------------------------------------------------------------------
# How the outbox is dispatched (apps/notifications/dispatch.py explains each). Tests shorten the lease and
# the interval through the environment to drive real workers quickly.
NOTIFICATIONS = {
    "BATCH_SIZE": env.int("NOTIFICATIONS_BATCH_SIZE", default=200),
    "LEASE_SECONDS": env.int("NOTIFICATIONS_LEASE_SECONDS", default=300),
    "MARK_EVERY": env.int("NOTIFICATIONS_MARK_EVERY", default=20),
    "MARK_INTERVAL_SECONDS": env.float("NOTIFICATIONS_MARK_INTERVAL_SECONDS", default=0.25),
    "MAX_ATTEMPTS": 5,
    "BACKOFF_MINUTES": [1, 5, 30, 120],
    "RUN_SECONDS": env.float("NOTIFICATIONS_RUN_SECONDS", default=50),
    "DISPATCH_INTERVAL_SECONDS": env.float("NOTIFICATIONS_DISPATCH_INTERVAL_SECONDS", default=60),
    "DIGEST_HOUR": 7,  # Europe/London
}
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
EMAIL_MESSAGE_ID_DOMAIN = env("EMAIL_MESSAGE_ID_DOMAIN", default="stepping-up.localhost")
EMAIL_SUBJECT_PREFIX_PORTAL = "Stepping Up: "

CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "dispatch-due-reminders": {
        "task": "apps.notifications.tasks.dispatch_due_reminders",
        "schedule": NOTIFICATIONS["DISPATCH_INTERVAL_SECONDS"],
        # A tick that waited in the queue past the next one is worthless: the next tick does the same work.
        "options": {"expires": NOTIFICATIONS["DISPATCH_INTERVAL_SECONDS"]},
    },
    "dispatch-daily-digests": {
        "task": "apps.notifications.tasks.dispatch_daily_digests",
        "schedule": 15 * 60,
        "options": {"expires": 15 * 60},
    },
    # Proposals unanswered after a week lapse; a mentor's silence passes the mentee to the next best mentor.
    "expire-mentoring-proposals": {
        "task": "apps.mentoring.tasks.expire_mentoring_proposals",
        "schedule": 60 * 60,
        "options": {"expires": 60 * 60},
    },
    # The careers routes figures for a new month, built just after midnight on the 1st (and checked hourly, a no-op
    # once built) so that the page's first visitor of the month does not wait for them.
    "build-routes-figures": {
        "task": "apps.careers.tasks.build_routes_figures",
        "schedule": 60 * 60,
        "options": {"expires": 60 * 60},
    },
    # The community overview's counts, counted again and stored once at least 5 people changed (a no-op before).
    "renew-community-counts": {
        "task": "apps.profiles.tasks.renew_community_counts",
        "schedule": 10 * 60,
        "options": {"expires": 10 * 60},
    },
    # Requests to talk to or shadow someone lapse when unanswered after 14 days; the requester is told.
    "expire-shadowing-requests": {
        "task": "apps.shadowing.tasks.expire_shadowing_requests",
        "schedule": 60 * 60,
        "options": {"expires": 60 * 60},
    },
    # Posts falling vacant within six months with no one ready now are named to their organisation's leads, once
    # per post, lead and vacancy date (apps/succession/services/vacancies.py). Safe to run twice.
    "remind-uncovered-vacancies": {
        "task": "apps.succession.tasks.remind_uncovered_vacancies",
        "schedule": crontab(hour=8, minute=0),  # Europe/London (CELERY_TIMEZONE): before the working day
        "options": {"expires": 12 * 60 * 60},
    },
    # The retention rules (apps/privacy/retention.py), nightly. Safe to run twice: a second run finds nothing more.
    "apply-retention": {
        "task": "apps.privacy.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=30),  # Europe/London (CELERY_TIMEZONE): a quiet hour
        "options": {"expires": 12 * 60 * 60},
    },
    # Downloads past their seven days are deleted; requests whose task was lost are queued again. Safe to run twice.
    "tidy-data-exports": {
        "task": "apps.exports.tasks.tidy_data_exports",
        "schedule": 15 * 60,
        "options": {"expires": 15 * 60},
    },
}

# --- Portal -------------------------------------------------------------------------------------------------
PORTAL_NAME = "Stepping Up"
# Where people write for help: shown wherever a page says "contact us", in the footer and in account e-mails.
PORTAL_CONTACT_EMAIL = env("PORTAL_CONTACT_EMAIL", default="support@stepping-up.example")
# Reports never show a count below this (PRODUCT.md: counts under 5 are suppressed).
REPORT_MIN_COUNT = env.int("PORTAL_REPORT_MIN_COUNT", default=5)
# A match round with more candidate pairs (mentees x mentors in the pool) than this runs in a Celery task.
MENTORING_ROUND_SYNC_PAIRS = env.int("MENTORING_ROUND_SYNC_PAIRS", default=250_000)
HEALTHZ_TIMEOUT_SECONDS = 3

# --- Logging ------------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

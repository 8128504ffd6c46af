"""Settings for the test suite: real PostgreSQL and Redis (DATABASE_URL, REDIS_URL), e-mail kept in memory."""

import os

from .base import *  # noqa: F403
from .base import env, without_jit

DATABASES = {
    "default": without_jit(env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/stepping_up")),
}
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-used-anywhere-else-7d1b"  # noqa: S105
ALLOWED_HOSTS = ["*"]
# Real worker processes in the delivery-fault tests write each message to a folder instead (tests/support).
EMAIL_TIMEOUT = 1  # the test backends never wait on a network; fault tests run with a lease of a few seconds
EMAIL_BACKEND = env("TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing: security is not under test
CRISPY_FAIL_SILENTLY = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
# The live server for browser tests runs in a thread; Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Static files come straight from the app folders (no collectstatic); WhiteNoise finds them there.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Every run of a prepared query (apps/common/prepared.py) also builds it with the ORM and compares the SQL, so
# each test that shows the dashboard checks its stored SQL against the ORM's for that person.
PREPARED_QUERIES_CHECK = True

"""Production settings: everything comes from the environment; nothing secret lives here."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, without_jit

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# Links in e-mails, calendar feeds and CASE exports: PORTAL_BASE_URL if set, else https:// and the first allowed
# host. A wildcard host names no address, so then PORTAL_BASE_URL must be set.
_first_host = ALLOWED_HOSTS[0] if ALLOWED_HOSTS else ""
if env("PORTAL_BASE_URL", default=""):
    PORTAL_BASE_URL = env("PORTAL_BASE_URL")
elif _first_host and not _first_host.startswith(".") and "*" not in _first_host:
    PORTAL_BASE_URL = f"https://{_first_host}"
else:
    raise ImproperlyConfigured(
        "Set PORTAL_BASE_URL (e.g. https://stepping-up.example.nhs.uk): DJANGO_ALLOWED_HOSTS names no single host."
    )
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True  # base.py says why
DATABASES["default"] = without_jit(DATABASES["default"])  # base.py says why
CACHES = {"default": env.cache("CACHE_URL")}

# TLS terminates at the proxy in front of gunicorn, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Sign-in limits count per client address: behind the proxy that is the last X-Forwarded-For hop it added, not the
# proxy's own address (which would put every user in the country behind one limit).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

"""Production settings pass Django's deployment checks; `make test` stops early with a way forward."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "q8Zt1vR4kP0xW7mN2bC9sL5yH3gF6dJ0aE8uT1oI4pK7zX2cV5nM9",
    "DJANGO_ALLOWED_HOSTS": "stepping-up.example.nhs.uk",
    "DATABASE_URL": "postgres://stepping_up:secret@db:5432/stepping_up",
    "REDIS_URL": "redis://redis:6379/0",
    "CACHE_URL": "redis://redis:6379/1",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.nhs.uk:587",
}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_under_production_settings() -> None:
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_service_check_names_how_to_start_the_services() -> None:
    env = {"DATABASE_URL": "postgres://postgres@127.0.0.1:1/stepping_up", "REDIS_URL": "redis://127.0.0.1:1/0"}
    result = run(["scripts/check_services.py"], env)
    assert result.returncode == 1
    assert "PostgreSQL is not reachable" in result.stderr
    assert "Redis is not reachable" in result.stderr
    assert "docker compose up -d db redis" in result.stderr
    assert "Traceback" not in result.stderr


def test_service_check_passes_when_both_are_up() -> None:
    result = run(["scripts/check_services.py"], {})
    assert result.returncode == 0, result.stderr


def _base_url(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "from django.conf import settings; print(settings.PORTAL_BASE_URL)"
    return run(["manage.py", "shell", "--no-imports", "-c", code], env)


def test_links_in_emails_use_the_deployments_own_host() -> None:
    result = _base_url(PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://stepping-up.example.nhs.uk"


def test_an_explicit_portal_address_wins() -> None:
    result = _base_url({**PRODUCTION_ENV, "PORTAL_BASE_URL": "https://leaders.example.nhs.uk"})
    assert result.stdout.strip() == "https://leaders.example.nhs.uk"


def test_a_wildcard_host_asks_for_the_portal_address() -> None:
    result = _base_url({**PRODUCTION_ENV, "DJANGO_ALLOWED_HOSTS": ".example.nhs.uk"})
    assert result.returncode != 0
    assert "Set PORTAL_BASE_URL" in result.stderr


def test_the_portals_connections_run_without_jit_and_sqlite_is_left_alone(db: None) -> None:
    """PostgreSQL's JIT compiled the regional view's aggregate for 58 of its 65 ms (issue 20): off for the portal."""
    from django.db import connection

    from config.settings.base import without_jit

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": "x"}
    assert without_jit(dict(sqlite)) == sqlite
    postgres = {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": "-c statement_timeout=5000"}}
    assert without_jit(postgres)["OPTIONS"]["options"] == "-c statement_timeout=5000 -c jit=off"
    show = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    result = run(["manage.py", "shell", "-c", show], PRODUCTION_ENV)
    assert "'options': '-c jit=off'" in result.stdout, result.stdout + result.stderr

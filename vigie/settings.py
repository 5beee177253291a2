"""Vigie settings: one module, configured only by the environment (VIGIE_*, DATABASE_URL).

With no environment at all, Vigie runs on an embedded SQLite database in ``var/``.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("VIGIE_DATA", PROJECT_DIR / "var")).resolve()
DEMO = env_bool("VIGIE_DEMO")
DEBUG = env_bool("VIGIE_DEBUG")

# A fixed key is acceptable only for the demo and tests; `check --deploy` refuses it.
INSECURE_KEY = "vigie-insecure-demo-key-never-use-in-production-0123456789abcdef"
SECRET_KEY = os.environ.get("VIGIE_SECRET_KEY", INSECURE_KEY)
# Key of the journal's checkpoints (HMAC-SHA256); distinct from SECRET_KEY so it can be rotated
# and held by the oversight bodies without giving them session signing.
AUDIT_CHECKPOINT_KEY = os.environ.get("VIGIE_AUDIT_KEY", "vigie-insecure-demo-audit-key")
AUDIT_CHECKPOINT_EVERY = int(os.environ.get("VIGIE_AUDIT_CHECKPOINT_EVERY", "100"))

ALLOWED_HOSTS = env_list("VIGIE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("VIGIE_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "vigie.core",
    "vigie.access",
    "vigie.audit",
    "vigie.registry",
    "vigie.screening",
    "vigie.documents",
    "vigie.assessments",
    "vigie.measures",
    "vigie.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vigie.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "vigie.core.middleware.IdleSessionMiddleware",
    "vigie.core.middleware.SignInRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vigie.urls"
WSGI_APPLICATION = "vigie.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vigie.core.context_processors.vigie",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # the embedded database needs its folder
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "vigie.sqlite3",
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so a
    # transaction that reads then writes (the journal's chain head) never fails to upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            # A 128 MB page cache and memory-mapped reads: the default 2 MB cache makes every
            # list of a 100,000-person database go to disk (docs/benchmarks.md).
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA cache_size=-131072; PRAGMA mmap_size=268435456;"
            ),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Identities ------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

SESSION_COOKIE_AGE = int(os.environ.get("VIGIE_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False
# Idle sessions end sooner than the absolute limit above (see core.middleware).
SESSION_IDLE_SECONDS = int(os.environ.get("VIGIE_SESSION_IDLE_SECONDS", str(30 * 60)))
# UI paths open without signing in (besides sign-in, /static/, /api/, /healthz, language).
PUBLIC_PATH_PREFIXES = ["/public/"]

AXES_FAILURE_LIMIT = int(os.environ.get("VIGIE_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("VIGIE_LOCKOUT_MINUTES", "30")))
# Lock the account, not the address: one office sits behind one NAT address.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "vigie.core.views.locked_out"

# Hit/no-hit queries per user per minute (enumeration is a risk to the database).
HIT_CHECKS_PER_MINUTE = int(os.environ.get("VIGIE_HIT_CHECKS_PER_MINUTE", "30"))
# Screening (docs/screening.md, "Using screening").
SCREENING_THRESHOLD = float(os.environ.get("VIGIE_SCREENING_THRESHOLD", "0.80"))
SCREENING_MATCH_MAX_QUERIES = 1000  # one API call; larger lists go through a job
SCREENING_JOB_MAX_ROWS = int(os.environ.get("VIGIE_SCREENING_JOB_MAX_ROWS", "100000"))
SCREENING_UPLOAD_MAX_BYTES = int(
    os.environ.get("VIGIE_SCREENING_UPLOAD_MAX_BYTES", str(50 * 1024 * 1024))
)
# Screened lists and their results are deleted after this many days (confirmed hits stay).
SCREENING_RETENTION_DAYS = int(os.environ.get("VIGIE_SCREENING_RETENTION_DAYS", "30"))
# The in-memory index: how often a process checks the database for changes when no
# PostgreSQL notification told it (SQLite: always polling), and whether to LISTEN.
SCREENING_INDEX_POLL_SECONDS = float(os.environ.get("VIGIE_SCREENING_POLL_SECONDS", "3"))
SCREENING_INDEX_LISTEN = env_bool("VIGIE_SCREENING_LISTEN", True)
# Hit/no-hit profiles: names screened per user per hour, and what looks like enumeration.
SCREENING_HIT_NO_HIT_NAMES_PER_HOUR = int(
    os.environ.get("VIGIE_SCREENING_HIT_NO_HIT_NAMES_PER_HOUR", "300")
)
SCREENING_ENUMERATION = {
    "window_minutes": 60,  # looked at over this window, per user
    "min_names": 100,  # many queries ...
    "max_hit_ratio": 0.02,  # ... with few hits
    "sweep_min_names": 30,  # a name sweep: at least this many names ...
    "sweep_token_share": 0.5,  # ... of which this share shares one name token
}
# Each listed entry is reviewed twice a year.
REGISTRY_REVIEW_MONTHS = int(os.environ.get("VIGIE_REVIEW_MONTHS", "6"))

# Threat assessments (docs/assessments.md): attachment limit; the method's weights and thresholds
# (vigie.assessments.method holds the defaults; a dict here overrides them key by key).
ASSESSMENT_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("VIGIE_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))
)
ASSESSMENT_METHOD: dict = {}

API_TOKEN_DAYS = int(os.environ.get("VIGIE_API_TOKEN_DAYS", "30"))

OTP_TOTP_ISSUER = "Vigie"

# --- Languages and time ----------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The manifest storage needs `collectstatic` first (make demo does it); before that, and in
# tests, plain storage serves the same files through the finders. collectstatic itself must use
# the manifest storage, or the manifest would never be written.
STATIC_MANIFEST = (STATIC_ROOT / "staticfiles.json").exists() or "collectstatic" in sys.argv
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
MEDIA_ROOT = DATA_DIR / "media"

# --- Background work -------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Mail (console in the demo) --------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "VIGIE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("VIGIE_FROM_EMAIL", "vigie@localhost")

# --- Security --------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("VIGIE_HTTPS"):
    # TLS is terminated in front of Vigie (docs/operations.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("VIGIE_LOG_LEVEL", "WARNING")},
}

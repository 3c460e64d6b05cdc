"""The one settings module. Every knob is a DTIS_* environment variable.

Defaults give the embedded trial set-up (SQLite under var/, e-mail to the
console, background work inline); production sets DTIS_DATABASE_URL,
DTIS_SECRET_KEY, DTIS_ALLOWED_HOSTS and DTIS_DEBUG=0. See README.md.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from dtis.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_ROOT = PACKAGE_DIR.parent.parent


def _default_var_dir() -> Path:
    # In a source checkout keep runtime files beside the code (var/ is
    # git-ignored); an installed package keeps them in the working directory.
    if (_CHECKOUT_ROOT / "pyproject.toml").exists():
        return _CHECKOUT_ROOT / "var"
    return Path.cwd() / "var"


VAR_DIR = Path(env_str("DTIS_VAR_DIR") or _default_var_dir())
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DTIS_DEBUG", False)


def _secret_key() -> str:
    """DTIS_SECRET_KEY, or a random key created once and kept in var/.

    The file keeps sessions valid across restarts of a trial install without
    anyone having to invent a key; production passes its own.
    """
    key = env_str("DTIS_SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret.key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secrets.token_urlsafe(64))
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("DTIS_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DTIS_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    # before dtis.orgs, whose admin module takes django-otp's device pages away
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "dtis.core",
    "dtis.orgs",
    "dtis.frameworks",
    "dtis.reporting",
    "dtis.appraisal",
    "dtis.dashboards",
    "dtis.plans",
    "dtis.api",
    "dtis.ops",
    "dtis.guide",
    "dtis.training",
    "dtis.onboarding",
    "csp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dtis.core.middleware.deployment_language_first",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "dtis.orgs.middleware.SecondFactorMiddleware",
    "dtis.orgs.middleware.ForcePasswordChangeMiddleware",
    "dtis.training.middleware.TrainingMiddleware",  # after sign-in and its steps
    "axes.middleware.AxesMiddleware",  # last: turns a lock-out into its page
]

ROOT_URLCONF = "dtis.urls"
WSGI_APPLICATION = "dtis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dtis.core.context_processors.navigation",
                "dtis.reporting.context_processors.notifications",
            ],
        },
    }
]

# --- database -------------------------------------------------------------

_DEFAULT_DB_URL = f"sqlite:///{VAR_DIR / 'dtis.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DTIS_DATABASE_URL") or _DEFAULT_DB_URL, conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE makes a writing
    # transaction take the lock up front instead of failing half-way.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# The training sandbox (dtis.training): always an SQLite file of its own,
# whatever the real database is, so practice never touches real rows.
DATABASES["training"] = {
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": VAR_DIR / "training" / "sandbox.sqlite3",
    "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    "CONN_MAX_AGE": 0,
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts -------------------------------------------------------------

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "dtis.orgs.auth.LockoutBackend",  # django-axes: refuses while locked out; must come first
    "dtis.orgs.auth.UsernameOrEmailBackend",
]
PASSWORD_HASHERS = [
    "dtis.orgs.hashers.Argon2Hasher",
    "dtis.orgs.hashers.IssuedPasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("DTIS_SESSION_SECONDS", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# The published rankings without signing in (dashboards:public-index), per deployment.
PUBLIC_RESULTS = env_bool("DTIS_PUBLIC_RESULTS", False)

# --- language, time, formats ----------------------------------------------

LANGUAGE_CODE = env_str("DTIS_LANGUAGE", "vi")
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"DTIS_LANGUAGE={LANGUAGE_CODE!r}: expected vi or en")
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("DTIS_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["dtis.formats"]

# --- files ----------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every start when it is missing
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = Path(env_str("DTIS_MEDIA_ROOT") or VAR_DIR / "media")
MEDIA_URL = "media/"
# Serve static files straight from the apps: no collectstatic step is needed
# for a trial, and production may still run collectstatic for speed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
UNIT_IMPORT_MAX_BYTES = env_int("DTIS_UNIT_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
EVIDENCE_MAX_BYTES = env_int("DTIS_EVIDENCE_MAX_MB", 20) * 1024 * 1024

# --- cache and background work --------------------------------------------

REDIS_URL = env_str("DTIS_REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- e-mail ---------------------------------------------------------------


def _email_settings(url: str) -> dict[str, object]:
    """smtp://user:pass@host:587 (STARTTLS) or smtps://… (TLS); absent: console."""
    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"}:
        raise ImproperlyConfigured(f"DTIS_EMAIL_URL: unsupported scheme {parts.scheme!r}")
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 587),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": parts.scheme == "smtp" and parts.port != 25,
    }


globals().update(_email_settings(env_str("DTIS_EMAIL_URL")))
DEFAULT_FROM_EMAIL = env_str("DTIS_FROM_EMAIL", "dtis@localhost")
# Links in e-mails: the public address of this installation, e.g. https://dti.khanhhoa.gov.vn
SITE_URL = env_str("DTIS_SITE_URL").rstrip("/")

# --- security -------------------------------------------------------------

X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): scripts, styles and frames from this
# site only, so no inline script or handler runs (behaviour lives in
# static/dtis/js/app.js). The API's browsable docs are Swagger UI, which sets
# inline styles, and are left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/docs"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DTIS_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("DTIS_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env_int("DTIS_HSTS_SECONDS", 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DTIS_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DTIS_HSTS_PRELOAD", True)
    if env_bool("DTIS_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
BEHIND_PROXY = env_bool("DTIS_BEHIND_PROXY", False)  # the client is X-Forwarded-For's first hop

# Lock-out after repeated failed sign-ins (django-axes): per username and
# address, so one office behind one address is not locked out by a colleague;
# the lock lifts by itself, and a success clears the count.
AXES_FAILURE_LIMIT = env_int("DTIS_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("DTIS_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dtis.orgs.security_log.locked_out_page"
AXES_CLIENT_IP_CALLABLE = "dtis.orgs.security_log.client_ip"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False  # the security log shows lock-outs; a password reset lifts one

# The second factor (dtis.orgs.second_factor): the name authenticator apps
# show beside the account, and how long a wrong code delays the next try
# (doubling with each wrong code).
OTP_TOTP_ISSUER = env_str("DTIS_OTP_ISSUER", "DTIS")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DTIS_LOG_LEVEL", "WARNING")},
}


# --- HTTP API (dtis.api) ---------------------------------------------------------------------

# django-ninja as an app: the browsable docs (/api/docs) use the Swagger UI files
# shipped in its wheel instead of a CDN, which government intranets often cannot reach.
INSTALLED_APPS.append("ninja")
# Requests allowed per API token, e.g. "600/m", "20/s", "10000/h"; over it: 429 with Retry-After.
API_RATE = env_str("DTIS_API_RATE", "600/m")
# History pages of the API: default and largest number of rows per page.
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 200

# --- Background work, file storage (dtis.ops) ---------------------------------------------------
# See docs/operations.md. Without DTIS_REDIS_URL the tasks of dtis.ops.tasks run
# inline, in the process that asks for them; with it a Celery worker runs them.
from dtis.ops.storage import storage_config  # noqa: E402  (kept inside this section)

_STORAGE = storage_config(env_str("DTIS_STORAGE_URL"), MEDIA_ROOT)
MEDIA_ROOT = _STORAGE.local_root or MEDIA_ROOT
STORAGES = {
    "default": _STORAGE.backend,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env_str("DTIS_CELERY_QUEUE", "dtis")
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Every task is safe to run twice (reminders are never sent twice, a recompute
# gives the same scores, an export writes one more file), so a task is
# acknowledged only once it finished and a worker killed half-way leaves it to
# another worker.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("DTIS_TASK_TIME_LIMIT", 30 * 60)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60
# Redis hands an unacknowledged task to another worker after this long: keep it
# well above the longest a task may run, or a slow task would run twice at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": max(3600, 2 * CELERY_TASK_TIME_LIMIT)}
CELERY_RESULT_EXPIRES = 7 * 24 * 60 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# When beat sends `dtis send-reminders` each day, in DTIS_TIME_ZONE (HH:MM).
REMINDERS_AT = env_str("DTIS_REMINDERS_AT", "07:00")

# A load balancer or monitor asks for /healthz over plain HTTP on the private side.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

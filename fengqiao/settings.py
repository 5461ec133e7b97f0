"""Django settings. Every value that differs between deployments comes from the environment.

SQLite (WAL) under ``var/`` is the embedded default; ``DATABASE_URL`` selects PostgreSQL.
"""

import datetime as dt
import secrets
from pathlib import Path

import dj_database_url

from fengqiao.core.env import envbool, envint, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("FENGQIAO_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """From the environment in production; otherwise one random key kept in var/."""
    if key := envstr("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envstr("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in envstr("CSRF_TRUSTED_ORIGINS").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "fengqiao.core",
    "fengqiao.geography",
    "fengqiao.accounts",
    "fengqiao.cases",
    "fengqiao.intake",
    "fengqiao.triage",
    "fengqiao.warning",
    "fengqiao.demo",
    "fengqiao.deadlines",
    "fengqiao.statutes",
    "fengqiao.assist",
    "fengqiao.dispatch",
    "fengqiao.analytics",
    "fengqiao.legalaid",
    "fengqiao.api",
    "fengqiao.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "fengqiao.accounts.middleware.SessionPolicyMiddleware",
    "fengqiao.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fengqiao.core.security.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fengqiao.urls"
WSGI_APPLICATION = "fengqiao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fengqiao.web.context.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'fengqiao.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
    )
}
# WAL lets readers run beside the one writer; synchronous=FULL makes every acknowledged
# commit durable across power loss; IMMEDIATE transactions make a writer take the lock up
# front instead of failing half-way ("database is locked").
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        " PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;"
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# 等保 level 3 身份鉴别 (GB/T 22239-2019 8.1.4.1): length, complexity, no common passwords,
# periodic change for staff, lockout after repeated failures, idle and absolute timeouts.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "fengqiao.accounts.passwords.ChineseCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "fengqiao.accounts.passwords.ComplexityValidator"},
]
PASSWORD_ROTATION_DAYS = envint("PASSWORD_ROTATION_DAYS", 90)  # staff; 0 turns rotation off
STAFF_IDLE_MINUTES = envint("STAFF_IDLE_MINUTES", 15)
CITIZEN_IDLE_MINUTES = envint("CITIZEN_IDLE_MINUTES", 30)
SESSION_ABSOLUTE_HOURS = envint("SESSION_ABSOLUTE_HOURS", 12)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked.html"
AXES_VERBOSE = False
# Lockout is per account; per-address limits are core.security's login rate limit, so
# axes need not also lock by address (which would lock out a whole office behind one NAT).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# TOTP second factor for staff and administrators (accounts.two_factor): the name the
# authenticator app shows; wrong codes slow further tries (1, 2, 4 … seconds).
OTP_TOTP_ISSUER = "枫桥平台"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "fengqiao" / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
# Trained models (triage, statute vectors): rebuilt from the repository's data when missing.
MODEL_DIR = Path(envstr("FENGQIAO_MODEL_DIR", str(BASE_DIR / "var" / "models")))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = 12 * 3600  # the absolute limit; idle limits are enforced by middleware
X_FRAME_OPTIONS = "DENY"
LOGIN_RATE = envint("LOGIN_RATE_PER_MINUTE", 20)  # per address, besides the per-account lockout
API_RATE_ANON = envstr("API_RATE_ANON", "60/m")
API_RATE_USER = envstr("API_RATE_USER", "1200/m")
# Behind TLS (production) set SECURE_COOKIES=1: secure cookies, HSTS, redirect to https.
SECURE_HSTS_SECONDS = 31536000 if envbool("SECURE_COOKIES", False) else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Upload limits for imports (rows are streamed; the file itself must fit).
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

NINJA_PAGINATION_PER_PAGE = 20

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
    # SQL is logged (with DEBUG on) only when asked; parameters holding personal data are
    # ciphertext by then (core.crypto), which the canary test checks.
    "loggers": {
        "django.db.backends": {
            "level": envstr("LOG_LEVEL", "WARNING"),
            "handlers": ["console"],
            "propagate": False,
        }
    },
}

# Whether `fengqiao bootstrap` may create demo data on an empty database.
FENGQIAO_DEMO_ON_EMPTY = envbool("FENGQIAO_DEMO_ON_EMPTY", True)
FENGQIAO_DEMO_CASES = envint("FENGQIAO_DEMO_CASES", 50_000)

# Processes that replay the disputes in the full rollup rebuild (0: one per core).
# Each reads its own id ranges within the rebuild's snapshot; 1 replays in-process.
FENGQIAO_REBUILD_WORKERS = envint("FENGQIAO_REBUILD_WORKERS", 0)

"""One environment-driven settings module.

`CONGDOAN_ENV=production` switches on every production safeguard (and requires SECRET_KEY,
ALLOWED_HOSTS and a real DATABASE_URL); the default, `development`, runs on an embedded SQLite
file under ./var/. Every setting read from the environment is listed in the README.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent
env = environ.Env()

ENVIRONMENT = env.str("CONGDOAN_ENV", default="development")
PRODUCTION = ENVIRONMENT == "production"
VAR_DIR = Path(env.str("CONGDOAN_VAR_DIR", default=str(Path.cwd() / "var")))

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdef")
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The project's apps come first so that their templates and translations take precedence.
INSTALLED_APPS = [
    "congdoan.core",
    "congdoan.accounts",
    "congdoan.organisation",
    "congdoan.members",
    "congdoan.reorganisation",
    "congdoan.indicators",
    "congdoan.meetings",
    "congdoan.activities",
    "congdoan.care",
    "congdoan.welfare",
    "congdoan.initiatives",
    "congdoan.inspections",
    "congdoan.movements",
    "congdoan.emulation",
    "congdoan.grading",
    "congdoan.awards",
    "congdoan.reports",
    "congdoan.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "treebeard",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "congdoan.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "congdoan.core.middleware.NullCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "congdoan.core.replicas.ReadYourWritesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "congdoan.accounts.middleware.OTPRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "congdoan.core.middleware.NumberOutOfRangeMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "congdoan.urls"
WSGI_APPLICATION = "congdoan.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "organisation:home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "congdoan.core.context_processors.ui",
            ],
        },
    }
]

# Database: DATABASE_URL, default an embedded SQLite file under ./var/.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'congdoan.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    # Browser tests (scripts/test.sh): the test database in a file, so that each thread of the
    # live server has its own connection (the threads share one connection to an in-memory
    # database, and two requests at once — a page and an htmx fragment — can trip over it).
    if test_file := env("CONGDOAN_TEST_SQLITE_FILE", default=""):
        DATABASES["default"]["TEST"] = {"NAME": test_file}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # Tests: each worker's database is a copy of one migrated once (scripts/test.sh), instead of
    # every worker running the migrations again.
    if template := env("CONGDOAN_TEST_DB_TEMPLATE", default=""):
        DATABASES["default"]["TEST"] = {"TEMPLATE": template}
# A PostgreSQL streaming replica (optional): the heavy read-only pages read from it, each user's
# own writes still seen at once (congdoan/core/replicas.py).
if replica_url := env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url_config(replica_url)
    DATABASES["replica"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["replica"].setdefault("CONN_HEALTH_CHECKS", True)
    # A replica that does not answer must not hold the page: the primary serves it instead.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["congdoan.core.replicas.ReplicaRouter"]
REPLICA_MAX_LAG = env.int("REPLICA_MAX_LAG", default=30)  # seconds behind: not used
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=600)  # life of the write cookie
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes): lock a username+address pair after repeated failures, with the
# same answer whether or not the account exists.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# Internationalisation: Vietnamese first, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# Each app keeps its catalogue in <app>/locale/. LOCALE_PATHS, which take precedence over the apps,
# hold the Vietnamese for third-party packages (DRF, knox, django-filter, axes, …) whose own
# catalogues are missing or incomplete.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["congdoan.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("STATIC_MANIFEST", default=PRODUCTION)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not env.bool("STATIC_MANIFEST", default=PRODUCTION)
if WHITENOISE_USE_FINDERS:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Security. Production turns everything on; `congdoan check --deploy` must pass there.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: no inline scripts anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# OTP second factor (django-otp); roles flagged `requires_otp` cannot work without it.
# Background tasks (django-tasks): the database queue, worked by `congdoan worker`
# (`congdoan demo` starts one). TASKS_BACKEND=immediate runs tasks in the request (tests).
TASKS = {
    "default": {
        "BACKEND": {
            "db": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[env.str("TASKS_BACKEND", default="db")]
    }
}

# Members: card number scheme (see members/cards.py) and retention of former members' data.
MEMBER_CARD_FORMAT = env.str("MEMBER_CARD_FORMAT", default="{province:02d}{year:02d}{seq:07d}")
MEMBER_RETENTION_YEARS = env.int("MEMBER_RETENTION_YEARS", default=10)
MEMBER_IMPORT_MAX_ROWS = env.int("MEMBER_IMPORT_MAX_ROWS", default=200_000)
MEMBER_IMPORT_MAX_MB = env.int("MEMBER_IMPORT_MAX_MB", default=50)
# Look-ups by identity number (searches, duplicates found in other units) per user: at most this
# many in any hour and in any day (congdoan/members/lookups.py).
IDENTITY_LOOKUPS_PER_HOUR = env.int("IDENTITY_LOOKUPS_PER_HOUR", default=20)
IDENTITY_LOOKUPS_PER_DAY = env.int("IDENTITY_LOOKUPS_PER_DAY", default=100)

OTP_TOTP_ISSUER = "congdoan"
OTP_REQUIRED_FOR_SUPERUSERS = env.bool("OTP_REQUIRED_FOR_SUPERUSERS", default=PRODUCTION)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "congdoan.accounts.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "congdoan.core.api.defaults.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["congdoan.core.api.defaults.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "congdoan.core.api.base.exception_handler",
}
REST_KNOX = {
    "TOKEN_TTL": None,
    "AUTO_REFRESH": False,
    "TOKEN_PREFIX": "cd_",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "congdoan API",
    "DESCRIPTION": "REST API of congdoan. Every list and object is limited to the caller's scope.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its documentation page are for signed-in users (token or session).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "ENUM_NAME_OVERRIDES": {
        "ReorgKindEnum": "congdoan.organisation.models.ReorgKind",
        "ClusterKindEnum": "congdoan.organisation.models.ClusterKind",
        "CommitteeKindEnum": "congdoan.organisation.models.CommitteeKind",
        "MeetingKindEnum": "congdoan.meetings.models.MeetingKind",
        "InspectionKindEnum": "congdoan.inspections.models.InspectionKind",
        "ComplaintKindEnum": "congdoan.inspections.models.ComplaintKind",
        "CareKindEnum": "congdoan.care.models.CareKind",
        "ActivityKindEnum": "congdoan.movements.models.ActivityKind",
        "PartnerKindEnum": "congdoan.welfare.models.PartnerKind",
        "ContestKindEnum": "congdoan.initiatives.models.ContestKind",
        "InitiativeStatusEnum": "congdoan.initiatives.models.Status",
        "ReportStatusEnum": "congdoan.reports.models.ReportStatus",
        "GenerationStateEnum": "congdoan.reports.models.GenerationState",
        "InspectedOutsideKindEnum": "congdoan.inspections.models.OutsideKind",
        "AwardOutsideKindEnum": "congdoan.awards.models.OutsideKind",
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

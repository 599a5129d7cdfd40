"""Souk settings.

Defaults give the one-command site: SQLite, local media, in-process cache.
The environment switches integrations on: DATABASE_URL, REDIS_URL, SECRET_KEY, DEBUG...
"""

import os
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from payments.stripe_js import stripe_js_sources

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# ---------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------
DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("SOUK_ALLOW_INSECURE_KEY"):
        raise RuntimeError("Set SECRET_KEY (or DEBUG=1 for development).")
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "modeltranslation",  # before admin, so the admin shows the language tabs
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "django_countries",
    "marketplace",
    "artisans",
    "catalog",
    "payments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"
AUTH_USER_MODEL = "marketplace.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
            ],
        },
    }
]

# ---------------------------------------------------------------------------
# Database: SQLite file by default, PostgreSQL (or another) from DATABASE_URL
# ---------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: writers queue for the lock instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# ---------------------------------------------------------------------------
# Cache and sessions: in-process by default, Redis when REDIS_URL is set
# ---------------------------------------------------------------------------
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# ---------------------------------------------------------------------------
# Accounts (django-allauth): email is the login, verified by mail
# ---------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "marketplace.accounts.AccountAdapter"
# A custom user with email as USERNAME_FIELD and no username column (allauth's
# "Advanced usage: custom user models"): log in by email, sign up with email and password.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# Nobody logs in before proving the address; the link asks for a POST (a mail scanner's GET
# must not confirm), and confirming in the browser that signed up logs the person in.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Tell people by mail when their password or addresses change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Souk] "
# Links in mails: https everywhere but the development server.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# allauth's defaults, spelled out. They are counted in the cache: with several worker
# processes they only hold with a shared cache (REDIS_URL). The Django admin's own login
# form is not covered: marketplace/admin.py sends it through allauth's login.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
LOGIN_REDIRECT_URL = "marketplace:home"
LOGOUT_REDIRECT_URL = "marketplace:home"
LOGIN_URL = "account_login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ---------------------------------------------------------------------------
# Mail: console in development; SMTP from EMAIL_URL-like settings in production
# ---------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Souk <no-reply@souk.ma>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who mail_admins() tells (a cooperative waiting for verification, server errors), e.g.
# SOUK_ADMIN_EMAILS="moderation@souk.ma,ops@souk.ma".
ADMINS = [
    ("Souk", address.strip())
    for address in os.environ.get("SOUK_ADMIN_EMAILS", "").split(",")
    if address.strip()
]
# Where links in Souk's own mails (cooperative verified, product reviewed) point.
SOUK_SITE_URL = os.environ.get("SOUK_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# ---------------------------------------------------------------------------
# Languages: Arabic (right to left), French, English, all under a URL prefix
# ---------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("ar", _("Arabic")), ("fr", _("French")), ("en", _("English"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "fr")
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["marketplace.formats"]  # what Django's locale formats lack
USE_I18N = True
TIME_ZONE = "Africa/Casablanca"
USE_TZ = True

# ---------------------------------------------------------------------------
# Static files (whitenoise) and media (local folder by default)
# ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# The manifest (hashed names, long cache) needs collectstatic; development and tests skip it.
if not env_bool("SOUK_STATIC_MANIFEST", not DEBUG):
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Serve media from Django itself (development, benchmark); in production a web server or
# object storage does it.
SOUK_SERVE_MEDIA = env_bool("SOUK_SERVE_MEDIA", DEBUG)

# Uploads: Django refuses request bodies above this before any view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# ---------------------------------------------------------------------------
# Security
# ---------------------------------------------------------------------------
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# The card form's script, its calls and its 3-D Secure frames come from the processor: see
# "Payments" below.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# ---------------------------------------------------------------------------
# Payments (payments/gateway.py): Stripe's API, or localstripe in development, tests and CI
# ---------------------------------------------------------------------------
# Where the SDK sends its calls: empty for Stripe itself, http://127.0.0.1:8420 for localstripe
# (`make run` sets it).
SOUK_STRIPE_API_BASE = os.environ.get("SOUK_STRIPE_API_BASE", "").rstrip("/")
# Any key starting sk_ works with localstripe. Against Stripe the keys must come from the
# environment: a published webhook secret would let anyone forge "payment succeeded".
_STRIPE_KEYS = ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET")
_MISSING_STRIPE_KEYS = [name for name in _STRIPE_KEYS if not os.environ.get(name)]
if _MISSING_STRIPE_KEYS and not (
    DEBUG or SOUK_STRIPE_API_BASE or env_bool("SOUK_ALLOW_INSECURE_KEY")
):
    raise RuntimeError(
        f"Set {', '.join(_MISSING_STRIPE_KEYS)} (Stripe's keys) or SOUK_STRIPE_API_BASE."
    )
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "sk_test_souk_local")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "pk_test_souk_local")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "whsec_souk_local")
# Stripe.js, or localstripe's stand-in for it, which talks to localstripe.
SOUK_STRIPE_JS_URL = os.environ.get(
    "SOUK_STRIPE_JS_URL",
    f"{SOUK_STRIPE_API_BASE}/js.stripe.com/v3/"
    if SOUK_STRIPE_API_BASE
    else "https://js.stripe.com/v3/",
)
# Seconds the site waits for the processor before telling the buyer it could not reach it.
SOUK_STRIPE_TIMEOUT = float(os.environ.get("SOUK_STRIPE_TIMEOUT", "5"))


# The policy allows Stripe.js's origin (localstripe's in development) and nothing else.
for _directive, _sources in stripe_js_sources(SOUK_STRIPE_JS_URL).items():
    CONTENT_SECURITY_POLICY["DIRECTIVES"].setdefault(_directive, ["'self'"]).extend(_sources)
del _directive, _sources

# ---------------------------------------------------------------------------
# Logging
# ---------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# ---------------------------------------------------------------------------
# Souk
# ---------------------------------------------------------------------------
SOUK_PRODUCTS_PER_PAGE = 24
SOUK_CATALOG_CACHE_SECONDS = 300
SOUK_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
SOUK_MAX_UPLOAD_PIXELS = 40_000_000
# An unpaid order holds its stock this long; then `release_reservations` gives it back.
SOUK_RESERVATION_MINUTES = int(os.environ.get("SOUK_RESERVATION_MINUTES", "30"))
# An owner's invitation to join a cooperative can be accepted this long (artisans/membership.py).
SOUK_INVITATION_DAYS = int(os.environ.get("SOUK_INVITATION_DAYS", "14"))
# Reviews (catalog/reviews.py): a buyer may review a line once its parcel is marked delivered,
# or this many days after it was shipped (a carrier's last scan often never comes). New and
# edited reviews wait for a moderator when held, else they show at once.
SOUK_REVIEW_AFTER_SHIPPED_DAYS = int(os.environ.get("SOUK_REVIEW_AFTER_SHIPPED_DAYS", "14"))
SOUK_REVIEWS_HELD_FOR_MODERATION = env_bool("SOUK_REVIEWS_HELD_FOR_MODERATION", False)

# Customs papers (marketplace/customs.py)
# Dirhams per SDR, the IMF unit the postal rules count in: a parcel's goods worth up to 300 SDR
# may travel with the short CN22. An estimate, not a live rate: the operator updates it (or
# the environment) now and then; it only chooses between the CN22 and the CN23.
SOUK_MAD_PER_SDR = Decimal(os.environ.get("SOUK_MAD_PER_SDR", "13.40"))
# The delivery term printed on the papers: DAP, the recipient pays any import duties and taxes
# on delivery (Souk does not collect them at checkout); DDP would say the sender paid them.
SOUK_INCOTERM = os.environ.get("SOUK_INCOTERM", "DAP")

# The "trusted cooperative" badge (marketplace/reputation.py; the public help page states them).
# A verified cooperative is trusted with at least this many delivered shipments and published
# reviews, this share of 4- and 5-star reviews, and this share of its shipped parcels marked
# shipped within SOUK_SHIP_WITHIN_DAYS days of payment (plus a made-to-order piece's lead time).
SOUK_TRUST_MIN_DELIVERED = int(os.environ.get("SOUK_TRUST_MIN_DELIVERED", "10"))
SOUK_TRUST_MIN_REVIEWS = int(os.environ.get("SOUK_TRUST_MIN_REVIEWS", "5"))
SOUK_TRUST_MIN_SATISFACTION = Decimal(os.environ.get("SOUK_TRUST_MIN_SATISFACTION", "0.90"))
SOUK_TRUST_MIN_ON_TIME = Decimal(os.environ.get("SOUK_TRUST_MIN_ON_TIME", "0.90"))
SOUK_SHIP_WITHIN_DAYS = int(os.environ.get("SOUK_SHIP_WITHIN_DAYS", "3"))

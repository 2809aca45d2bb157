"""Configuration from environment variables.

APP_ENV selects a profile: "development" (default), "testing" or "production".
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


def _development_secret_key() -> str:
    """Generated once into instance/, so sessions survive a restart."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    APP_NAME = os.environ.get("APP_NAME", "Pas à pas")
    LESSONS_DIR = Path(os.environ.get("LESSONS_DIR", BASE_DIR / "lessons"))
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'pasapas.sqlite'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "fr"
    # The association's time zone: the days reports count, the dates and times screens show (app/timezone.py).
    TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
    BABEL_DEFAULT_TIMEZONE = TIME_ZONE
    REMEMBER_COOKIE_DURATION = timedelta(days=90)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # A quiz form may stay open on a phone for hours: the session carries the CSRF secret.
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 1024 * 1024
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    # Per person, on the routes where a participant writes (quiz, help, lesson finished).
    WRITE_RATE_LIMIT = os.environ.get("WRITE_RATE_LIMIT", "30 per minute;300 per hour")
    CREATE_DEMO_ACCOUNTS = True
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 (a method name, not a password)
    # Flask-Compress leaves streamed files open; static files are compressed whole instead (app/assets.py).
    COMPRESS_STREAMS = False
    # A lesson verified longer ago than this is "à revoir": `flask lessons check` warns, facilitators see it.
    LESSON_REVIEW_MONTHS = int(os.environ.get("LESSON_REVIEW_MONTHS", "12"))
    # Where people report an accessibility problem (shown on the "Accessibilité" page).
    CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "")
    # The association that runs the workshops: printed on sign-in cards, attestations and reports
    # (not the platform's name), with the phone number a participant calls when stuck.
    ASSOCIATION_NAME = os.environ.get("ASSOCIATION_NAME", "")
    ASSOCIATION_PHONE = os.environ.get("ASSOCIATION_PHONE", "")
    # Who runs the platform, named in the privacy notice.
    ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "l'association qui vous accompagne")
    # Accounts inactive this long are anonymised by `flask privacy purge`.
    PRIVACY_RETENTION_MONTHS = int(os.environ.get("PRIVACY_RETENTION_MONTHS", "24"))
    # Lines of the audit log older than this are deleted by `flask privacy purge`.
    AUDIT_RETENTION_MONTHS = int(os.environ.get("AUDIT_RETENTION_MONTHS", "24"))
    # Number of reverse proxies in front of the app (0: none), for ProxyFix.
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0"))
    # The public address, e.g. https://pasapas.example.org: sign-in cards' QR codes are built
    # from it, never from the Host header a visitor sends. Empty: the address of the request.
    BASE_URL = os.environ.get("BASE_URL", "")
    # Host names the app answers to, comma-separated (Flask refuses others with a 400). Empty: any.
    TRUSTED_HOSTS = [host.strip() for host in os.environ.get("TRUSTED_HOSTS", "").split(",") if host.strip()] or None


class DevelopmentConfig(Config):
    @property
    def SECRET_KEY(self):  # noqa: N802 (Flask's setting name)
        return os.environ.get("SECRET_KEY") or _development_secret_key()


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "tests-only"  # noqa: S105 (the testing profile only)
    LESSONS_DIR = BASE_DIR / "tests" / "fixtures" / "lessons"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_ENABLED = True
    # One iteration: the suite checks many demo passwords; production keeps scrypt (app/hashing.py).
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"  # noqa: S105 (a method name)


class ProductionConfig(Config):
    CREATE_DEMO_ACCOUNTS = False
    SESSION_COOKIE_SECURE = os.environ.get("HTTPS", "1") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    @property
    def SECRET_KEY(self):  # noqa: N802
        key = os.environ.get("SECRET_KEY")
        if not key:
            raise RuntimeError("SECRET_KEY must be set in production")
        return key


PROFILES = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None = None) -> Config:
    return PROFILES[name or os.environ.get("APP_ENV", "development")]()

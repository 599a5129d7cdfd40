"""The production settings, as the test suite runs them: no secret, no collectstatic."""

import os

os.environ.setdefault("SOUK_ALLOW_INSECURE_KEY", "1")
os.environ.setdefault("SOUK_STATIC_MANIFEST", "0")

from marketplace.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's shared in-memory database: tests that buy from several threads
    # (tests/marketplace/test_stock_race.py) need connections that wait for the write lock,
    # as in production; in memory they fail at once with "database table is locked".
    # One file per process, so that concurrent runs and xdist workers never share one.
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"souk-test-{os.getpid()}.sqlite3")
    }

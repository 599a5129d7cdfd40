"""The production settings, as the test suite runs them: no secret, no collectstatic."""

import os

os.environ.setdefault("SOUK_ALLOW_INSECURE_KEY", "1")
os.environ.setdefault("SOUK_STATIC_MANIFEST", "0")

from marketplace.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only

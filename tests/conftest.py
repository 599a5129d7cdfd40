import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from tests.factories import CooperativeFactory, MembershipFactory, ProductFactory, UserFactory
from tests.localstripe import (  # noqa: F401 (fixtures: a real localstripe for any test)
    _fresh_localstripe_store,
    localstripe,
    localstripe_server,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache: cached pages and choices never leak between tests."""
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Start every test in the default language: a test client's visit to /fr/ or /ar/ leaves
    its language active in the test's thread (LocaleMiddleware never deactivates it)."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def cooperative(db):
    return CooperativeFactory()


@pytest.fixture
def member(cooperative):
    return MembershipFactory(cooperative=cooperative).user


@pytest.fixture
def product(cooperative):
    return ProductFactory(cooperative=cooperative)


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded and generated files go to the test's own folder (see tests/images.py)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def reference_data(db):
    """The regions, HS codes, craft branches and crafts Souk ships (about half a second)."""
    call_command("load_reference_data", verbosity=0)


@pytest.fixture
def default_rates(db):
    """The exchange and shipping rates migration 0003 installs (a transactional test's flush
    removes what migrations wrote: tests on a live server or in threads ask for them again)."""
    importlib.import_module("marketplace.migrations.0003_default_rates").add_default_rates(
        apps, None
    )

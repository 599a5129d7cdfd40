import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests.factories import CooperativeFactory, MembershipFactory, ProductFactory, UserFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache: cached pages and choices never leak between tests."""
    cache.clear()


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
def reference_data(db):
    """The regions, HS codes, craft branches and crafts Souk ships (about half a second)."""
    call_command("load_reference_data", verbosity=0)

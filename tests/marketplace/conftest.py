import pytest


@pytest.fixture(autouse=True)
def _rates(default_rates):
    """Every test here may price an order: the rates migration 0003 installs are there even
    after a transactional test of this worker flushed them (the suite runs files in turn)."""

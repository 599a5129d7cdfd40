from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from catalog.models import Product
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_product_price_must_be_positive_in_full_clean():
    product = ProductFactory.build(price=Decimal("0"))
    with pytest.raises(ValidationError):
        product.full_clean(exclude=["cooperative", "craft", "hs_code"])


def test_product_price_must_be_positive_in_database():
    with pytest.raises(IntegrityError):
        ProductFactory(price=Decimal("-1"))


def test_suspended_cooperative_products_are_not_published(product):
    product.cooperative.status = "suspended"
    product.cooperative.save()
    assert not Product.objects.published().exists()

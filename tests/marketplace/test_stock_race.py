"""Buyers racing for the last pieces, each in its own thread and database connection.

Real transactions (transaction=True): the conditional UPDATE in checkout.take_stock is what
keeps the stock from going below zero, on SQLite (writers queue: IMMEDIATE transactions) as on
PostgreSQL (row locks, re-checked condition).
"""

import threading

import pytest
from django.db import connection

from catalog.models import Product
from marketplace.checkout import OutOfStock, mark_order_paid, place_order, release_order
from marketplace.models import Cart, Order, OrderLine, OrderStatus
from tests.factories import CartFactory, CartLineFactory, ProductFactory, ShippingDetailsFactory

pytestmark = pytest.mark.django_db(transaction=True)


def buyers() -> int:
    # SQLite serialises writers anyway; fewer threads keep the test quick there.
    return 20 if connection.vendor == "postgresql" else 8


def race(carts: list[Cart]) -> tuple[list[Order], list[Exception]]:
    """Place every cart at the same moment, one thread each; return orders and refusals."""
    start = threading.Barrier(len(carts))
    orders: list[Order] = []
    refusals: list[Exception] = []
    lock = threading.Lock()

    def buy(cart: Cart) -> None:
        try:
            start.wait()
            order = place_order(
                cart, ShippingDetailsFactory(), currency="MAD", user=None, language="en"
            )
        except Exception as error:
            with lock:
                refusals.append(error)
        else:
            with lock:
                orders.append(order)
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(cart,)) for cart in carts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return orders, refusals


def test_many_buyers_for_the_last_three_pieces_make_exactly_three_orders(default_rates):
    product = ProductFactory(title="Last lanterns", stock=3)
    carts = [CartLineFactory(product=product, quantity=1).cart for _ in range(buyers())]

    orders, refusals = race(carts)

    assert all(isinstance(refusal, OutOfStock) for refusal in refusals), refusals
    assert len(orders) == 3
    assert len(refusals) == len(carts) - 3
    assert all(isinstance(refusal, OutOfStock) for refusal in refusals), refusals
    assert all("“Last lanterns” sold out" in refusal.messages[0] for refusal in refusals)
    product.refresh_from_db()
    assert product.stock == 0
    assert Order.objects.count() == 3
    assert sum(OrderLine.objects.values_list("quantity", flat=True)) == 3
    # The refused carts keep their line; the three placed ones are empty.
    assert Cart.objects.filter(lines__isnull=False).count() == len(carts) - 3


def test_carts_taking_two_products_in_opposite_orders_neither_deadlock_nor_oversell(
    default_rates,
):
    first, second = ProductFactory(stock=2), ProductFactory(stock=2)
    carts = []
    for index in range(buyers()):
        cart = CartFactory()
        pair = (first, second) if index % 2 else (second, first)
        for product in pair:  # added in opposite orders: stock is still taken by pk
            CartLineFactory(cart=cart, product=product, quantity=1)
        carts.append(cart)

    orders, refusals = race(carts)

    assert len(orders) == 2
    assert all(isinstance(refusal, OutOfStock) for refusal in refusals), refusals
    assert set(
        Product.objects.filter(pk__in=[first.pk, second.pk]).values_list("stock", flat=True)
    ) == {0}


def test_paying_and_releasing_an_order_at_once_leave_it_paid_with_its_stock_taken_once(
    default_rates,
):
    product = ProductFactory(stock=2)
    order = place_order(
        CartLineFactory(product=product, quantity=1).cart,
        ShippingDetailsFactory(),
        currency="MAD",
        user=None,
        language="en",
    )
    calls = [mark_order_paid, release_order] * (buyers() // 2)
    start = threading.Barrier(len(calls))
    outcomes: list[tuple[str, bool]] = []
    lock = threading.Lock()

    def call(function) -> None:
        try:
            start.wait()
            done = function(Order.objects.get(pk=order.pk))  # each its own instance
            with lock:
                outcomes.append((function.__name__, done))
        finally:
            connection.close()

    threads = [threading.Thread(target=call, args=(function,)) for function in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == len(calls)
    assert [name for name, done in outcomes if done].count("mark_order_paid") == 1
    assert [name for name, done in outcomes if done].count("release_order") <= 1
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    product.refresh_from_db()
    assert product.stock == 1


def test_a_double_click_on_checkout_places_one_order(default_rates):
    product = ProductFactory(title="Tagine", stock=10)
    cart = CartLineFactory(product=product, quantity=2).cart

    orders, refusals = race([Cart.objects.get(pk=cart.pk) for _ in range(4)])

    assert len(orders) == 1
    assert {error.code for error in refusals} == {"empty_cart"}
    product.refresh_from_db()
    assert product.stock == 8

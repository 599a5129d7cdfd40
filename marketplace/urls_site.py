from django.urls import path, register_converter
from django.urls.converters import IntConverter

from marketplace import views


class RowIdConverter(IntConverter):
    """An id the database can hold (a signed 64-bit integer): a larger one is a 404, not the
    OverflowError SQLite raises on the lookup."""

    MAX = 2**63 - 1

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > self.MAX:
            raise ValueError(f"{value} is out of range")
        return number


register_converter(RowIdConverter, "row_id")

app_name = "marketplace"

urlpatterns = [
    path("", views.home, name="home"),
    path("cart/", views.cart, name="cart"),
    path("cart/add/<slug:slug>/", views.cart_add, name="cart_add"),
    path("cart/lines/<row_id:product_id>/", views.cart_update, name="cart_update"),
    path("cart/lines/<row_id:product_id>/remove/", views.cart_remove, name="cart_remove"),
    path("cart/preferences/", views.cart_preferences, name="cart_preferences"),
    path("checkout/", views.checkout, name="checkout"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/<str:number>/", views.order_detail, name="order_detail"),
]

from django.urls import path

from marketplace import views

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
    path("help/trusted-cooperatives/", views.trust_help, name="trust_help"),
]

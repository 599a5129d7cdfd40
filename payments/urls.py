"""The payment page and its calls, under the language prefix (the webhook is not: see
marketplace/urls.py). The checkout redirects to payments:pay."""

from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("orders/<str:number>/pay/", views.pay, name="pay"),
    path("orders/<str:number>/pay/setup/", views.setup, name="setup"),
    path("orders/<str:number>/pay/confirm/", views.confirm, name="confirm"),
]

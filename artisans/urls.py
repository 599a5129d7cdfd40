from django.urls import path

from artisans import views

app_name = "artisans"

urlpatterns = [
    path("", views.cooperative_list, name="cooperative_list"),
    path("<slug:slug>/", views.cooperative_detail, name="cooperative_detail"),
]

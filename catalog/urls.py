from django.urls import path

from catalog import views

app_name = "catalog"

# <row_id:...> is registered by marketplace.converters, which the root URLconf imports first.
urlpatterns = [
    path("catalog/", views.product_list, name="product_list"),
    path("products/<slug:slug>/", views.product_detail, name="product_detail"),
    path("reviews/new/<row_id:line_id>/", views.review_create, name="review_create"),
    path("reviews/<row_id:review_id>/edit/", views.review_edit, name="review_edit"),
    path("reviews/<row_id:review_id>/helpful/", views.review_helpful, name="review_helpful"),
    path("reviews/<row_id:review_id>/report/", views.review_report, name="review_report"),
]

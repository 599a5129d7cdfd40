from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from catalog.models import Product


def product_list(request: HttpRequest) -> HttpResponse:
    products = Product.objects.published().for_card()[:24]
    return render(request, "catalog/product_list.html", {"products": products})


def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product.objects.published().for_card(), slug=slug)
    return render(request, "catalog/product_detail.html", {"product": product})

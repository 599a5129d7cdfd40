from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from artisans.models import Cooperative


def cooperative_list(request: HttpRequest) -> HttpResponse:
    cooperatives = Cooperative.objects.verified().select_related("region")
    return render(request, "artisans/cooperative_list.html", {"cooperatives": cooperatives})


def cooperative_detail(request: HttpRequest, slug: str) -> HttpResponse:
    cooperative = get_object_or_404(Cooperative.objects.verified(), slug=slug)
    return render(request, "artisans/cooperative_detail.html", {"cooperative": cooperative})

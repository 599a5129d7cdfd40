"""Placeholder: being written."""

from django.http import Http404



def sales(request, *args, **kwargs):
    raise Http404


def shipments_csv(request, *args, **kwargs):
    raise Http404


def payouts_csv(request, *args, **kwargs):
    raise Http404

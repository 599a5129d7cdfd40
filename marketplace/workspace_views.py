"""Placeholder: being written."""

from django.http import Http404



def shipment_list(request, *args, **kwargs):
    raise Http404


def shipment_detail(request, *args, **kwargs):
    raise Http404


def mark_shipped(request, *args, **kwargs):
    raise Http404


def mark_delivered(request, *args, **kwargs):
    raise Http404


def customs_declaration(request, *args, **kwargs):
    raise Http404


def customs_declaration_pdf(request, *args, **kwargs):
    raise Http404


def commercial_invoice(request, *args, **kwargs):
    raise Http404


def commercial_invoice_pdf(request, *args, **kwargs):
    raise Http404

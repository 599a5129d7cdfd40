"""Placeholder: being written."""

from django.http import Http404


def product_list(request, *args, **kwargs):
    raise Http404


def product_create(request, *args, **kwargs):
    raise Http404


def product_edit(request, *args, **kwargs):
    raise Http404


def submit(request, *args, **kwargs):
    raise Http404


def archive(request, *args, **kwargs):
    raise Http404


def restore(request, *args, **kwargs):
    raise Http404


def add_photos(request, *args, **kwargs):
    raise Http404


def edit_photo(request, *args, **kwargs):
    raise Http404


def move_photo(request, *args, **kwargs):
    raise Http404


def delete_photo(request, *args, **kwargs):
    raise Http404


def hs_code_search(request, *args, **kwargs):
    raise Http404

"""Placeholder: being written."""

from django.http import Http404


def home(request, *args, **kwargs):
    raise Http404


def register(request, *args, **kwargs):
    raise Http404


def accept_invitation(request, *args, **kwargs):
    raise Http404


def dashboard(request, *args, **kwargs):
    raise Http404


def edit_profile(request, *args, **kwargs):
    raise Http404


def add_photos(request, *args, **kwargs):
    raise Http404


def delete_photo(request, *args, **kwargs):
    raise Http404


def members(request, *args, **kwargs):
    raise Http404


def invite(request, *args, **kwargs):
    raise Http404


def change_role(request, *args, **kwargs):
    raise Http404


def remove_member(request, *args, **kwargs):
    raise Http404


def cancel_invitation(request, *args, **kwargs):
    raise Http404

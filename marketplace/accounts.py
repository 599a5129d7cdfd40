"""Souk's account policy for django-allauth (the only place allauth is customised)."""

from allauth.account.adapter import DefaultAccountAdapter
from django.forms import Form
from django.http import HttpRequest
from django.utils import translation

from marketplace.models import User


class AccountAdapter(DefaultAccountAdapter):
    """Remember the language a person signed up in: their mails are written in it."""

    def save_user(self, request: HttpRequest, user: User, form: Form, commit: bool = True) -> User:
        """Save the new user with the language of the page they signed up on."""
        user.language = (translation.get_language() or "")[
            : User._meta.get_field("language").max_length
        ]
        return super().save_user(request, user, form, commit=commit)

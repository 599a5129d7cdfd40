from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    """Souk's account policy: remember the language a person signed up in, for their mails."""

    def save_user(self, request, user, form, commit=True):
        user.language = translation.get_language() or ""
        return super().save_user(request, user, form, commit=commit)

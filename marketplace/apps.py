from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from marketplace.cart import on_user_logged_in

        # Every way in (allauth, the admin, a test's force_login) goes through django's
        # login(), which keeps the guest's session: the guest's cart joins the buyer's.
        user_logged_in.connect(on_user_logged_in, dispatch_uid="marketplace.adopt_guest_cart")

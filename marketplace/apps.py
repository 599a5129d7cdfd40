from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from artisans.verification import cooperative_status_changed
        from catalog.reviews import published_reviews_changed
        from marketplace.cart import on_user_logged_in
        from marketplace.reputation import (
            recompute_on_published_reviews_change,
            recompute_on_status_change,
        )

        # Every way in (allauth, the admin, a test's force_login) goes through django's
        # login(), which keeps the guest's session: the guest's cart joins the buyer's.
        user_logged_in.connect(on_user_logged_in, dispatch_uid="marketplace.adopt_guest_cart")
        # The trusted badge follows its inputs once they commit (shipments.py asks on its own
        # steps). Catalog and artisans do not import marketplace, and their processes change
        # rows with update(), which sends no post_save: each sends its own signal.
        published_reviews_changed.connect(
            recompute_on_published_reviews_change, dispatch_uid="reputation"
        )
        cooperative_status_changed.connect(recompute_on_status_change, dispatch_uid="reputation")

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ArtisansConfig(AppConfig):
    name = "artisans"
    verbose_name = _("Cooperatives")

    def ready(self) -> None:
        from artisans.browsing import forget_listings_on_commit

        # Cooperative pages and cards are cached: any saved change shows at once. Labels
        # show as badges on product and cooperative pages and in the catalog's filters.
        for name in (
            "Cooperative",
            "CooperativePhoto",
            "Label",
            "CooperativeLabel",
            "ProductLabel",
        ):
            model = self.get_model(name)
            post_save.connect(forget_listings_on_commit, sender=model)
            post_delete.connect(forget_listings_on_commit, sender=model)

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def restore_search_index(sender, using, **kwargs) -> None:
    """Put back the full-text index after every migrate.

    On SQLite, a later migration that remakes catalog_product drops the index's triggers;
    install_search_index notices and rebuilds it, and does nothing when it is complete.
    """
    from django.db.migrations.recorder import MigrationRecorder

    from catalog.search_index import install_search_index

    connection = connections[using]
    applied = MigrationRecorder(connection).applied_migrations()
    if ("catalog", "0003_product_search_index") in applied:
        install_search_index(connection)


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from artisans.browsing import forget_listings_on_commit
        from artisans.models import Cooperative
        from catalog.search import refresh_cooperative_documents

        post_migrate.connect(restore_search_index, sender=self)
        # Products are found by their cooperative's name, city and region.
        post_save.connect(refresh_cooperative_documents, sender=Cooperative)
        # Catalog pages are cached: any saved product, photo or review change shows at once.
        cached = ("Product", "ProductImage", "Review", "ReviewPhoto")
        for model in (self.get_model(name) for name in cached):
            post_save.connect(forget_listings_on_commit, sender=model)
            post_delete.connect(forget_listings_on_commit, sender=model)

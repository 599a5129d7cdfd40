"""The seller workspace: every page after <cooperative_id>/ is scoped by artisans.access.

Wired here, in the project package, because its pages come from four apps: artisans
(cooperative, members), catalog (products), marketplace (shipments, customs papers) and
payments (sales and payouts).
"""

from django.urls import include, path

import marketplace.converters  # noqa: F401 (registers <row_id:...>)
from artisans import workspace_views as cooperative
from catalog import workspace_views as products
from marketplace import workspace_views as selling
from payments import workspace_views as money

app_name = "workspace"

cooperative_pages = [
    path("", selling.dashboard, name="dashboard"),
    path("profile/", cooperative.edit_profile, name="profile"),
    path("profile/photos/", cooperative.add_photos, name="add_cooperative_photos"),
    path(
        "profile/photos/<row_id:photo_id>/delete/",
        cooperative.delete_photo,
        name="delete_cooperative_photo",
    ),
    path("members/", cooperative.members, name="members"),
    path("members/invite/", cooperative.invite, name="invite"),
    path("members/<row_id:membership_id>/role/", cooperative.change_role, name="change_role"),
    path("members/<row_id:membership_id>/remove/", cooperative.remove_member, name="remove_member"),
    path(
        "invitations/<row_id:invitation_id>/cancel/",
        cooperative.cancel_invitation,
        name="cancel_invitation",
    ),
    # Products
    path("products/", products.product_list, name="product_list"),
    path("products/new/", products.product_create, name="product_create"),
    path("products/<row_id:product_id>/", products.product_edit, name="product_edit"),
    path("products/<row_id:product_id>/submit/", products.submit, name="product_submit"),
    path("products/<row_id:product_id>/archive/", products.archive, name="product_archive"),
    path("products/<row_id:product_id>/restore/", products.restore, name="product_restore"),
    path("products/<row_id:product_id>/photos/", products.add_photos, name="product_add_photos"),
    path(
        "products/<row_id:product_id>/photos/<row_id:photo_id>/",
        products.edit_photo,
        name="product_edit_photo",
    ),
    path(
        "products/<row_id:product_id>/photos/<row_id:photo_id>/move/",
        products.move_photo,
        name="product_move_photo",
    ),
    path(
        "products/<row_id:product_id>/photos/<row_id:photo_id>/delete/",
        products.delete_photo,
        name="product_delete_photo",
    ),
    path("hs-codes/", products.hs_code_search, name="hs_code_search"),
    # Reviews of the cooperative's pieces, and its replies
    path("reviews/", products.reviews, name="reviews"),
    path("reviews/<row_id:review_id>/reply/", products.review_reply, name="review_reply"),
    # Orders and fulfilment
    path("shipments/", selling.shipment_list, name="shipment_list"),
    path("shipments/<row_id:shipment_id>/", selling.shipment_detail, name="shipment_detail"),
    path("shipments/<row_id:shipment_id>/ship/", selling.mark_shipped, name="shipment_ship"),
    path(
        "shipments/<row_id:shipment_id>/deliver/", selling.mark_delivered, name="shipment_deliver"
    ),
    path("shipments/<row_id:shipment_id>/customs/", selling.customs_declaration, name="customs"),
    path(
        "shipments/<row_id:shipment_id>/customs.pdf",
        selling.customs_declaration_pdf,
        name="customs_pdf",
    ),
    path("shipments/<row_id:shipment_id>/invoice/", selling.commercial_invoice, name="invoice"),
    path(
        "shipments/<row_id:shipment_id>/invoice.pdf",
        selling.commercial_invoice_pdf,
        name="invoice_pdf",
    ),
    # Money
    path("sales/", money.sales, name="sales"),
    path("sales/shipments.csv", money.shipments_csv, name="shipments_csv"),
    path("sales/payouts.csv", money.payouts_csv, name="payouts_csv"),
]

urlpatterns = [
    path("", cooperative.home, name="home"),
    path("register/", cooperative.register, name="register"),
    path("invitations/<slug:token>/", cooperative.accept_invitation, name="accept_invitation"),
    path("<row_id:cooperative_id>/", include(cooperative_pages)),
]

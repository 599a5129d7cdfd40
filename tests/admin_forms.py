"""What the admin's product change form posts, for the catalog and label tests."""


def product_form_data(product, **changes) -> dict:
    """The product's fields and its empty photo and certificate inlines, with those changes."""
    data = {
        "cooperative": product.cooperative_id,
        "craft": product.craft_id,
        "hs_code": product.hs_code_id or "",
        "title": product.title,
        "slug": product.slug,
        "description": product.description,
        "materials": product.materials,
        "dimensions": product.dimensions,
        "weight_grams": product.weight_grams or "",
        "price": str(product.price),
        "stock": product.stock,
        "lead_time_days": "",
        "images-TOTAL_FORMS": 0,
        "images-INITIAL_FORMS": 0,
        "images-MIN_NUM_FORMS": 0,
        "images-MAX_NUM_FORMS": 1000,
        "labels-TOTAL_FORMS": 0,  # the product's label certificates (artisans.ProductLabel)
        "labels-INITIAL_FORMS": 0,
        "labels-MIN_NUM_FORMS": 0,
        "labels-MAX_NUM_FORMS": 1000,
    }
    data.update(changes)
    return data

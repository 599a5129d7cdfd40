"""{{ product|label_badges }}: the badges of a product or a cooperative, never a query."""

from django import template
from django.db.models import Model

from artisans import labels
from artisans.labels import Badge

register = template.Library()


@register.filter
def label_badges(holder: Model) -> list[Badge]:
    """The current labels a Prefetch loaded for this product or cooperative, as badges."""
    return labels.label_badges(holder)

from modeltranslation.translator import TranslationOptions, register

from artisans.models import Region


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)

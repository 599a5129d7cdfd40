from modeltranslation.translator import TranslationOptions, register

from artisans.models import Label, Region


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)


@register(Label)
class LabelTranslation(TranslationOptions):
    fields = ("name", "issuer", "description")

from modeltranslation.translator import TranslationOptions, register

from catalog.models import Craft, CraftBranch, HSCode


@register(CraftBranch)
class CraftBranchTranslation(TranslationOptions):
    fields = ("name",)


@register(Craft)
class CraftTranslation(TranslationOptions):
    fields = ("name",)


@register(HSCode)
class HSCodeTranslation(TranslationOptions):
    fields = ("description",)

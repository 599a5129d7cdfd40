"""What the demo cooperatives say about themselves and how their products are described.

Demo content, not interface text: it is data in the sellers' own languages, so it is not
marked for translation. Titles are mostly French and English, some Arabic, as on the real
marketplace.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from artisans.models import CooperativeStatus, LegalForm


@dataclass(frozen=True)
class DemoCooperative:
    key: str  # the owner's login is <key>@souk.test (the first one is artisan@souk.test)
    name: str
    region: str  # artisans/regions.py code
    city: str
    legal_form: str
    founded: int
    members: int
    women: int
    youth_led: bool
    status: str
    crafts: tuple[str, ...]  # catalog/reference/crafts.py slugs
    colour: tuple[int, int, int]
    story_fr: str
    story_en: str
    story_ar: str

    @property
    def story(self) -> str:
        return f"{self.story_fr}\n\n{self.story_en}\n\n{self.story_ar}"


V, P, S = CooperativeStatus.VERIFIED, CooperativeStatus.PENDING, CooperativeStatus.SUSPENDED
C, A, CO = LegalForm.COOPERATIVE, LegalForm.ASSOCIATION, LegalForm.COMPANY

# fmt: off
COOPERATIVES: tuple[DemoCooperative, ...] = (
    DemoCooperative(
        "artisan", "Coopérative Tifaout n'Azilal", "beni-mellal-khenifra", "Azilal", C, 2011, 34, 34, False, V,
        ("knotted-carpets", "beni-ouarain-carpets", "hanbel", "boucherouite"), (158, 40, 44),
        "Trente-quatre tisserandes du Haut Atlas nouent à la main des tapis en laine de leurs propres moutons, teinte au henné, à la garance et à l'indigo.",
        "Thirty-four women weavers of the High Atlas hand-knot carpets from the wool of their own sheep, dyed with henna, madder and indigo.",
        "أربع وثلاثون نساجة من الأطلس الكبير يعقدن الزرابي يدويا من صوف أغنامهن.",
    ),
    DemoCooperative(
        "fes", "Coopérative Zellige Fès Al Bali", "fes-meknes", "Fès", C, 1998, 22, 3, False, V,
        ("zellige", "zellige-tables", "fes-pottery", "carved-plaster"), (24, 64, 146),
        "Nos maâlems taillent chaque tesselle de zellige au marteau, dans les ateliers de Aïn Nokbi, selon des tracés transmis de père en fils.",
        "Our maâlems cut every zellige tessera by hammer in the Aïn Nokbi workshops, following layouts handed down from father to son.",
        "معلمونا ينقشون كل قطعة زليج بالمطرقة في ورشات عين النقبي.",
    ),
    DemoCooperative(
        "tamegroute", "Coopérative Al Khadra Tamegroute", "draa-tafilalet", "Tamegroute", C, 2006, 15, 6, True, V,
        ("tamegroute-pottery", "cooking-tagines", "terracotta-jars"), (58, 110, 56),
        "Au bord du Drâa, nous façonnons l'argile du village et la cuisons au four à bois ; l'émail vert au cuivre et au manganèse coule librement, chaque pièce est unique.",
        "On the banks of the Draa we shape the village clay and fire it in wood kilns; the copper and manganese green glaze runs freely, so every piece is unique.",
        "على ضفاف درعة نشكل طين القرية ونحرقه في أفران الحطب، وكل قطعة فريدة.",
    ),
    DemoCooperative(
        "tiznit", "Coopérative Tafoukt Argent de Tiznit", "souss-massa", "Tiznit", C, 2003, 18, 7, False, V,
        ("tiznit-silver-jewellery", "fibulae", "enamelled-jewellery", "beaded-jewellery"), (120, 120, 130),
        "Bijoutiers de Tiznit, nous travaillons l'argent massif, le nielle et l'émail comme nos aînés, fibules, bracelets et colliers d'ambre et de corail.",
        "Silversmiths of Tiznit, we work solid silver, niello and enamel as our elders did: fibulae, bracelets, and amber and coral necklaces.",
        "صياغ تزنيت، نشتغل بالفضة والمينا كما فعل أسلافنا.",
    ),
    DemoCooperative(
        "marrakech", "Coopérative Nour Al Mdina", "marrakech-safi", "Marrakech", C, 2009, 12, 2, False, V,
        ("brass-lanterns", "copperware", "engraved-brass-trays", "teapots"), (184, 115, 51),
        "Dans le quartier des dinandiers de Marrakech, nous martelons, ciselons et ajourons le cuivre et le laiton : lanternes, plateaux et théières.",
        "In the coppersmiths' quarter of Marrakech we hammer, chase and pierce copper and brass: lanterns, trays and teapots.",
        "في حي النحاسين بمراكش نطرق وننقش النحاس: فوانيس وصواني وبراريد.",
    ),
    DemoCooperative(
        "essaouira", "Coopérative Arar Essaouira", "marrakech-safi", "Essaouira", C, 2001, 20, 5, False, V,
        ("thuya-marquetry", "olive-wood-kitchenware", "carved-cedar"), (150, 86, 46),
        "Sous les remparts d'Essaouira, nos ébénistes marquètent la loupe de thuya de citronnier et de nacre. Nous replantons un thuya pour chaque souche utilisée.",
        "Under the ramparts of Essaouira our cabinet-makers inlay thuya burl with lemonwood and mother-of-pearl. We replant a thuya for every root we use.",
        "تحت أسوار الصويرة يرصع حرفيونا خشب العرعار.",
    ),
    DemoCooperative(
        "habous", "Atelier Cuir des Habous", "casablanca-settat", "Casablanca", CO, 2014, 9, 4, True, V,
        ("babouches", "cherbil", "leather-bags", "leather-poufs"), (176, 112, 60),
        "Jeune atelier du quartier des Habous : babouches cousues main, sacs et poufs en cuir de chèvre tanné végétal à Fès.",
        "A young workshop in the Habous quarter: hand-stitched babouches, bags and poufs in goat leather, vegetable-tanned in Fes.",
        "ورشة شابة في حي الحبوس: بلغة مخيطة يدويا وحقائب جلدية.",
    ),
    DemoCooperative(
        "chefchaouen", "Coopérative Al Khayr Chefchaouen", "tanger-tetouan-al-hoceima", "Chefchaouen", C, 2012, 16, 12, False, V,
        ("handwoven-foutas", "handira", "sabra-textiles", "rif-pottery"), (40, 90, 160),
        "Dans la ville bleue, nos tisserands travaillent au métier à pédales couvertures, foutas et coussins en laine et coton.",
        "In the blue city our weavers work treadle looms: blankets, foutas and cushions in wool and cotton.",
        "في المدينة الزرقاء ينسج حرفيونا الأغطية والفوطات على المنسج التقليدي.",
    ),
    DemoCooperative(
        "figuig", "Coopérative Nakhla Figuig", "oriental", "Figuig", A, 2015, 28, 26, True, V,
        ("doum-palm", "basketry", "alfa-grass", "raffia-bags"), (200, 160, 70),
        "Les femmes des ksour de Figuig tressent le doum et la palme du dattier : paniers, corbeilles et sacs teints aux couleurs de l'oasis.",
        "The women of the Figuig ksour plait doum and date-palm leaves into baskets, bread trays and bags dyed in the colours of the oasis.",
        "نساء قصور فكيك يضفرن الدوم وسعف النخيل.",
    ),
    DemoCooperative(
        "sidi-ifni", "Coopérative Tafyoucht Sidi Ifni", "guelmim-oued-noun", "Sidi Ifni", C, 2008, 41, 41, False, V,
        ("argan-cosmetics", "handmade-soaps", "black-soap", "ghassoul"), (214, 160, 40),
        "Quarante et une femmes concassent l'amande d'argan à la main et pressent à froid une huile certifiée biologique ; savons et soins sont faits sur place.",
        "Forty-one women crack argan kernels by hand and cold-press a certified organic oil; soaps and skin care are made on site.",
        "إحدى وأربعون امرأة يكسرن لوز الأركان يدويا ويعصرن زيتا عضويا.",
    ),
    DemoCooperative(
        "laayoune", "Coopérative Al Khaima Laâyoune", "laayoune-sakia-el-hamra", "Laâyoune", C, 2016, 11, 8, True, V,
        ("leather-poufs", "small-leather-goods", "amazigh-jewellery"), (120, 60, 34),
        "Artisanes sahraouies, nous brodons le cuir teint de motifs de la tente nomade et façonnons des bijoux de perles et d'argent.",
        "Sahrawi craftswomen, we embroider dyed leather with the motifs of the nomad tent and make beaded silver jewellery.",
        "حرفيات صحراويات نطرز الجلد بزخارف الخيمة.",
    ),
    DemoCooperative(
        "sale", "Coopérative Oulja Salé", "rabat-sale-kenitra", "Salé", C, 1995, 25, 5, False, S,
        ("terracotta-jars", "safi-ceramics", "hsira-mats"), (182, 98, 62),
        "Potiers de l'Oulja, au bord du Bouregreg : jarres, pots et céramique peinte.",
        "Potters of the Oulja on the Bou Regreg river: jars, planters and painted ceramics.",
        "فخارون من الولجة على ضفاف أبي رقراق.",
    ),
    DemoCooperative(
        "dakhla", "Coopérative Melhfa Dakhla", "dakhla-oued-ed-dahab", "Dakhla", C, 2022, 7, 7, True, P,
        ("caftans", "embroidered-table-linen", "fes-embroidery"), (30, 120, 140),
        "Jeune coopérative de couturières : melhfas teintes à la main, caftans et linge brodé.",
        "A new cooperative of seamstresses: hand-dyed melhfas, caftans and embroidered linen.",
        "تعاونية خياطات حديثة: ملاحف مصبوغة يدويا وقفاطين.",
    ),
)
# fmt: on

# The picture each craft gets (marketplace/demo/drawing DRAWERS).
CRAFT_KINDS = {
    "knotted-carpets": "carpet", "beni-ouarain-carpets": "carpet", "rabat-carpets": "carpet",
    "taznakht-carpets": "carpet", "hanbel": "carpet", "boucherouite": "carpet",
    "handira": "textile", "sabra-textiles": "textile", "handwoven-foutas": "textile",
    "caftans": "textile", "fes-embroidery": "textile", "embroidered-table-linen": "textile",
    "fes-pottery": "pottery_fes", "safi-ceramics": "pottery_safi", "rif-pottery": "pottery_terracotta",
    "tamegroute-pottery": "pottery_tamegroute", "cooking-tagines": "pottery_terracotta",
    "terracotta-jars": "pottery_terracotta", "tadelakt": "tadelakt",
    "zellige": "zellige", "zellige-tables": "zellige", "carved-plaster": "stone",
    "thuya-marquetry": "wood", "carved-cedar": "wood", "olive-wood-kitchenware": "wood",
    "babouches": "babouche", "cherbil": "babouche",
    "leather-bags": "leather", "leather-poufs": "leather", "small-leather-goods": "leather",
    "brass-lanterns": "lantern", "copperware": "metal", "engraved-brass-trays": "metal", "teapots": "metal",
    "tiznit-silver-jewellery": "jewellery", "fibulae": "jewellery", "enamelled-jewellery": "jewellery",
    "beaded-jewellery": "jewellery", "amazigh-jewellery": "jewellery",
    "doum-palm": "basket", "basketry": "basket", "alfa-grass": "basket", "raffia-bags": "basket",
    "hsira-mats": "basket",
    "argan-cosmetics": "cosmetics", "handmade-soaps": "cosmetics", "black-soap": "cosmetics",
    "ghassoul": "cosmetics",
}  # fmt: skip


class Title(NamedTuple):
    language: str  # "en", "fr" or "ar"; the description is in the same language
    text: str  # "{colour}" is replaced
    crafts: tuple[str, ...] | None = None  # the crafts it names; None: any craft of its line


@dataclass(frozen=True)
class Making:
    """How the pieces of one craft are made, where its line's description would be wrong."""

    description: str  # English; "{coop}" and "{city}" are replaced
    description_fr: str
    materials: str


@dataclass(frozen=True)
class ProductLine:
    """How products of one kind are named, described, measured and priced."""

    titles: tuple[Title, ...]
    description: str  # English; "{coop}" and "{city}" are replaced
    description_fr: str
    materials: str
    size_cm: tuple[tuple[int, int], tuple[int, int]]  # width range, height range
    grams: tuple[int, int]
    price_mad: tuple[int, int]
    one_of_a_kind: float  # share of pieces with stock 1
    made_to_order: float  # share made to order
    colours: tuple[str, ...] = ("indigo", "saffron", "madder red", "natural", "henna")
    makings: dict[str, Making] = field(default_factory=dict)  # crafts made otherwise, by slug

    def titles_for(self, craft: str) -> list[Title]:
        """The titles a product of this craft may take: a hanbel is never called a Beni Ouarain."""
        return [title for title in self.titles if title.crafts is None or craft in title.crafts]


# Colour words as the French titles say them.
COLOURS_FR = {
    "indigo": "indigo", "saffron": "safran", "madder red": "rouge garance", "natural": "naturel",
    "henna": "henné", "black": "noir", "brown": "brun", "cobalt blue": "bleu de cobalt",
    "green": "vert", "ochre": "ocre", "white": "blanc", "cobalt": "cobalt", "emerald": "émeraude",
    "black and white": "noir et blanc", "honey": "miel", "turquoise": "turquoise", "ivory": "ivoire",
    "sand": "sable", "lemonwood": "citronnier", "ebony": "ébène", "mother-of-pearl": "nacre",
    "walnut": "noyer", "saffron yellow": "jaune safran", "red": "rouge", "blue": "bleu", "tan": "fauve",
    "antique brass": "laiton vieilli", "copper": "cuivre", "silver": "argent", "brass": "laiton",
    "gold": "doré", "yellow": "jaune", "cosmetic grade": "cosmétique", "culinary": "alimentaire",
    "rose": "rose", "orange blossom": "fleur d'oranger",
}  # fmt: skip
DESCRIPTION_AR = "صنع يدويا في {city} من طرف {coop}، بمواد محلية وبطرق تقليدية."

LINES: dict[str, ProductLine] = {
    "carpet": ProductLine(
        (
            Title("en", "Beni Ouarain carpet, {colour} diamonds", ("beni-ouarain-carpets",)),
            Title(
                "fr", "Tapis Beni Ouarain à losanges, coloris {colour}", ("beni-ouarain-carpets",)
            ),
            Title("en", "Azilal rug with {colour} motifs", ("knotted-carpets",)),
            Title("fr", "Tapis Azilal à motifs, coloris {colour}", ("knotted-carpets",)),
            Title("ar", "زربية أمازيغية معقودة يدويا", ("knotted-carpets", "beni-ouarain-carpets")),
            Title("en", "Hanbel kilim in {colour} bands", ("hanbel",)),
            Title("fr", "Hanbel tissé à plat, coloris {colour}", ("hanbel",)),
            Title("ar", "حنبل منسوج يدويا", ("hanbel",)),
            Title("en", "Boucherouite rag rug, {colour}", ("boucherouite",)),
            Title("fr", "Boucherouite en chiffons recyclés, coloris {colour}", ("boucherouite",)),
        ),
        "Hand-knotted by the women of {coop} in {city}, in undyed and plant-dyed wool. Thick, soft pile; "
        "the diamonds are drawn freehand, so no two carpets are alike.",
        "Noué à la main par les femmes de {coop} à {city}, en laine naturelle et teinte végétale.",
        "sheep's wool, cotton warp",
        ((80, 200), (120, 300)),
        (2500, 18000),
        (1200, 14000),
        0.7,
        0.15,
        ("black", "brown", "saffron", "madder red", "indigo"),
        makings={
            "hanbel": Making(
                "Flat-woven on an upright loom by the women of {coop} in {city}, in plant-dyed "
                "wool; light enough to hang on a wall.",
                "Tissé à plat sur métier vertical par les femmes de {coop} à {city}, en laine "
                "teinte végétale.",
                "sheep's wool",
            ),
            "boucherouite": Making(
                "Knotted by the women of {coop} in {city} from strips of worn clothes and fabric "
                "offcuts, so no two rugs are alike.",
                "Noué par les femmes de {coop} à {city} avec des bandes de vieux vêtements et des "
                "chutes de tissu.",
                "recycled fabric strips, cotton warp",
            ),
        },
    ),
    "textile": ProductLine(
        (
            Title("en", "Handwoven {colour} cushion", ("sabra-textiles",)),
            Title("fr", "Coussin tissé main à rayures, coloris {colour}", ("sabra-textiles",)),
            Title("ar", "وسادة منسوجة يدويا", ("sabra-textiles",)),
            Title("en", "Fouta in {colour} stripes", ("handwoven-foutas",)),
            Title("ar", "فوطة حمام منسوجة يدويا", ("handwoven-foutas",)),
            Title("fr", "Couverture handira, coloris {colour}", ("handira",)),
            Title("en", "Embroidered caftan, {colour} silk thread", ("caftans",)),
            Title("ar", "قفطان مطرز باليد", ("caftans",)),
            Title("en", "Fes embroidery panel, {colour} silk thread", ("fes-embroidery",)),
            Title("fr", "Broderie de Fès au point terz, fil {colour}", ("fes-embroidery",)),
            Title("en", "Embroidered tablecloth, {colour} thread", ("embroidered-table-linen",)),
            Title("fr", "Nappe brodée main, fil {colour}", ("embroidered-table-linen",)),
        ),
        "Woven on a treadle loom at {coop}, {city}. Washable at 30 °C; the colours come from plant dyes.",
        "Tissé sur un métier à pédales chez {coop}, {city}. Lavable à 30 °C.",
        "wool, cotton, sabra (cactus silk)",
        ((40, 200), (40, 250)),
        (300, 2500),
        (180, 3500),
        0.2,
        0.25,
        makings=dict.fromkeys(
            ("caftans", "fes-embroidery", "embroidered-table-linen"),
            Making(
                "Sewn and embroidered by hand at {coop}, {city}, stitch by stitch. Washable at 30 °C.",
                "Cousu et brodé à la main chez {coop}, {city}, point par point. Lavable à 30 °C.",
                "cotton, silk thread",
            ),
        ),
    ),
    "pottery": ProductLine(
        (
            Title("en", "Hand-painted vase, {colour} bands", ("fes-pottery", "safi-ceramics")),
            Title("fr", "Vase peint à la main, coloris {colour}", ("fes-pottery", "safi-ceramics")),
            Title(
                "fr",
                "Bol en céramique émaillée, coloris {colour}",
                ("fes-pottery", "safi-ceramics"),
            ),
            Title("ar", "مزهرية فخارية مرسومة باليد", ("fes-pottery", "safi-ceramics")),
            Title("en", "Tamegroute green-glazed bowl", ("tamegroute-pottery",)),
            Title("fr", "Plat de Tamegroute à l'émail vert", ("tamegroute-pottery",)),
            Title("ar", "صحن من فخار تمكروت الأخضر", ("tamegroute-pottery",)),
            Title("fr", "Tajine de cuisson en terre", ("cooking-tagines",)),
            Title("ar", "طاجين طيني للطهي", ("cooking-tagines",)),
            Title("en", "Terracotta jar with {colour} glaze", ("terracotta-jars",)),
            Title("fr", "Jarre à eau en terre cuite", ("terracotta-jars",)),
            Title("en", "Rif pottery water jug", ("rif-pottery",)),
            Title("fr", "Cruche du Rif, décor à l'engobe", ("rif-pottery",)),
        ),
        "Thrown on the wheel and finished by hand at {coop} in {city}. Lead-free glaze; food safe.",
        "Tourné et fini à la main chez {coop} à {city}. Émail sans plomb, compatible alimentaire.",
        "clay, lead-free glaze",
        ((12, 40), (10, 55)),
        (400, 6000),
        (90, 1400),
        0.3,
        0.1,
        ("cobalt blue", "green", "ochre", "white", "black"),
        makings={
            # Rif women's pottery is built without a wheel and left unglazed.
            "rif-pottery": Making(
                "Modelled by hand by the women of {coop} in {city}, painted with clay slips and "
                "fired in an open fire.",
                "Modelé à la main par les femmes de {coop} à {city}, peint à l'engobe et cuit à "
                "feu ouvert.",
                "clay, mineral slip",
            ),
        },
    ),
    "tadelakt": ProductLine(
        (
            Title("en", "Tadelakt soap dish, {colour}"),
            Title("fr", "Vasque en tadelakt {colour}"),
            Title("ar", "صحن تادلاكت"),
        ),
        "Lime plaster polished with a river stone and black soap until it is waterproof, by {coop}.",
        "Enduit à la chaux poli au galet et au savon noir jusqu'à être étanche, par {coop}.",
        "lime plaster, black soap",
        ((10, 45), (5, 30)),
        (300, 9000),
        (150, 2800),
        0.4,
        0.3,
    ),
    "zellige": ProductLine(
        (
            Title("en", "Zellige mosaic table, {colour} stars", ("zellige-tables",)),
            Title("fr", "Table en zellige étoilé, coloris {colour}", ("zellige-tables",)),
            Title("ar", "طاولة زليج فاسي", ("zellige-tables",)),
            Title("fr", "Panneau de zellige {colour}", ("zellige",)),
            Title("en", "Zellige tiles, {colour} eight-point star (1 m²)", ("zellige",)),
            Title("ar", "لوحة زليج فاسي", ("zellige",)),
        ),
        "Each tessera is cut by hammer and set by hand at {coop} in {city}, on a wrought-iron base.",
        "Chaque tesselle est taillée au marteau et posée à la main chez {coop} à {city}.",
        "glazed terracotta, cement, wrought iron",
        ((40, 120), (40, 120)),
        (8000, 45000),
        (1800, 9500),
        0.5,
        0.4,
        ("cobalt", "emerald", "black and white", "honey", "turquoise"),
        makings={
            # Tiles and panels have no table base.
            "zellige": Making(
                "Each tessera is cut by hammer from glazed tiles at {coop} in {city}; panels are "
                "set by hand on a cement backing.",
                "Chaque tesselle est taillée au marteau chez {coop} à {city} ; les panneaux sont "
                "posés à la main sur un fond de ciment.",
                "glazed terracotta, cement",
            ),
        },
    ),
    "stone": ProductLine(
        (
            Title("en", "Carved plaster panel, {colour}"),
            Title("fr", "Panneau de gebs sculpté"),
            Title("fr", "Rosace en plâtre ciselé"),
            Title("ar", "لوحة جبس منقوشة"),
        ),
        "Carved by hand in fresh plaster at {coop} in {city}, following the geometry of Fes palaces.",
        "Sculpté à la main dans le plâtre frais chez {coop} à {city}.",
        "plaster",
        ((30, 90), (30, 90)),
        (2000, 15000),
        (600, 4500),
        0.5,
        0.5,
        ("ivory", "sand"),
    ),
    "wood": ProductLine(
        (
            Title("en", "Thuya marquetry box, {colour} inlay", ("thuya-marquetry",)),
            Title("fr", "Coffret en thuya marqueté {colour}", ("thuya-marquetry",)),
            Title("ar", "علبة من خشب العرعار مرصعة", ("thuya-marquetry",)),
            Title("en", "Olive wood serving board", ("olive-wood-kitchenware",)),
            Title("fr", "Saladier en bois d'olivier", ("olive-wood-kitchenware",)),
            Title("ar", "ملاعق من خشب الزيتون", ("olive-wood-kitchenware",)),
            Title("fr", "Boîte à bijoux en cèdre sculpté", ("carved-cedar",)),
            Title("en", "Carved cedar mirror frame", ("carved-cedar",)),
        ),
        "Turned and inlaid at {coop} in {city}. Thuya burl smells of cedar for years; finished with beeswax.",
        "Tourné et marqueté chez {coop} à {city}. Finition à la cire d'abeille.",
        "thuya burl, lemonwood, beeswax",
        ((8, 40), (5, 25)),
        (150, 2500),
        (120, 1600),
        0.3,
        0.1,
        ("lemonwood", "ebony", "mother-of-pearl", "walnut"),
        makings={
            "olive-wood-kitchenware": Making(
                "Carved and turned at {coop} in {city} from the wood of pruned olive trees; oiled, "
                "food safe.",
                "Sculpté et tourné chez {coop} à {city} dans le bois de taille de l'olivier ; "
                "huilé, compatible alimentaire.",
                "olive wood, food-grade oil",
            ),
            "carved-cedar": Making(
                "Carved by hand at {coop} in {city} in Atlas cedar, which keeps its scent for "
                "years; finished with beeswax.",
                "Sculpté à la main chez {coop} à {city} dans le cèdre de l'Atlas. Finition à la "
                "cire d'abeille.",
                "Atlas cedar, beeswax",
            ),
        },
    ),
    "babouche": ProductLine(
        (
            Title("en", "Babouches in {colour} leather", ("babouches",)),
            Title("fr", "Babouches en cuir {colour}", ("babouches",)),
            Title("ar", "بلغة جلدية مخيطة يدويا", ("babouches",)),
            Title("en", "Embroidered cherbil slippers, {colour}", ("cherbil",)),
            Title("ar", "شربيل مطرز بالصقلي", ("cherbil",)),
        ),
        "Hand-stitched at {coop} in {city} in vegetable-tanned goat leather; leather sole. Sizes 36 to 46.",
        "Cousues main chez {coop} à {city}, cuir de chèvre tanné végétal, semelle cuir. Pointures 36 à 46.",
        "goat leather, leather sole",
        ((10, 11), (28, 31)),
        (350, 600),
        (160, 480),
        0.0,
        0.3,
        ("saffron yellow", "red", "natural", "black", "blue"),
    ),
    "leather": ProductLine(
        (
            Title("en", "Leather shoulder bag, {colour}", ("leather-bags",)),
            Title("fr", "Sac en cuir {colour} cousu main", ("leather-bags",)),
            Title("ar", "حقيبة جلدية مطرزة", ("leather-bags",)),
            Title("en", "Leather pouf, {colour} embroidery", ("leather-poufs",)),
            Title("fr", "Pouf en cuir brodé {colour}", ("leather-poufs",)),
            Title("fr", "Porte-monnaie en cuir", ("small-leather-goods",)),
            Title("en", "Leather card wallet, {colour}", ("small-leather-goods",)),
        ),
        # No clasp named: poufs have none.
        "Cut and stitched at {coop} in {city} from vegetable-tanned leather.",
        "Coupé et cousu chez {coop} à {city}, cuir tanné végétal.",
        "vegetable-tanned leather, cotton thread",
        ((15, 60), (12, 45)),
        (200, 3500),
        (150, 1900),
        0.2,
        0.25,
        ("tan", "brown", "red", "natural", "black"),
    ),
    "lantern": ProductLine(
        (
            Title("en", "Pierced brass lantern, {colour}"),
            Title("fr", "Lanterne en laiton ajouré"),
            Title("en", "Brass hanging lamp, {colour} finish"),
            Title("fr", "Lanterne marocaine ciselée"),
            Title("ar", "فانوس نحاسي مخرم"),
        ),
        "Hammered and pierced by hand at {coop} in {city}; wired for an E27 bulb, chain included.",
        "Martelé et ajouré à la main chez {coop} à {city}, câblé pour ampoule E27.",
        "brass, glass",
        ((20, 45), (40, 110)),
        (900, 6000),
        (380, 2600),
        0.2,
        0.3,
        ("antique brass", "copper", "silver", "black"),
    ),
    "metal": ProductLine(
        (
            Title("en", "Engraved brass tray, {colour}", ("engraved-brass-trays",)),
            Title("fr", "Plateau en laiton ciselé", ("engraved-brass-trays",)),
            Title("ar", "صينية نحاسية منقوشة", ("engraved-brass-trays",)),
            Title("en", "Moroccan teapot, {colour}", ("teapots",)),
            Title("fr", "Théière berrad, coloris {colour}", ("teapots",)),
            Title("en", "Hammered copper hammam bucket", ("copperware",)),
            Title("fr", "Bassine en cuivre martelé", ("copperware",)),
        ),
        "Chased by hand with a chisel at {coop} in {city}. Food-safe tin lining for teapots.",
        "Ciselé à la main chez {coop} à {city}.",
        "brass, copper, tin lining",
        ((15, 70), (10, 40)),
        (500, 5000),
        (220, 2400),
        0.2,
        0.1,
        ("silver", "copper", "brass", "gold"),
    ),
    "jewellery": ProductLine(
        (
            Title("en", "Tiznit silver fibula, {colour} enamel", ("fibulae",)),
            Title("fr", "Fibule en argent, émail {colour}", ("fibulae",)),
            Title("en", "Enamelled silver pendant, {colour}", ("enamelled-jewellery",)),
            Title("fr", "Bracelet en argent émaillé {colour}", ("enamelled-jewellery",)),
            Title(
                "fr",
                "Bracelet berbère en argent niellé",
                ("tiznit-silver-jewellery", "amazigh-jewellery"),
            ),
            Title("ar", "قلادة فضية أمازيغية", ("tiznit-silver-jewellery", "amazigh-jewellery")),
            Title("en", "Tiznit silver cuff, engraved", ("tiznit-silver-jewellery",)),
            Title("en", "Amber and coral necklace", ("amazigh-jewellery",)),
            Title("fr", "Collier de perles {colour}", ("beaded-jewellery",)),
            Title("ar", "عقد من الخرز", ("beaded-jewellery",)),
        ),
        "Made by the silversmiths of {coop} in {city}: solid silver 925, hallmarked, enamel fired by hand.",
        "Réalisé par les bijoutiers de {coop} à {city} : argent massif 925, poinçonné.",
        "silver 925, enamel, amber, coral",
        ((3, 12), (5, 45)),
        (20, 300),
        (260, 4800),
        0.6,
        0.1,
        ("green", "yellow", "blue", "red"),
        makings={
            # Beads, not silver: the craft's customs code is the one for imitation jewellery.
            "beaded-jewellery": Making(
                "Strung by hand at {coop} in {city} from glass and resin beads, on a cotton cord.",
                "Enfilé à la main chez {coop} à {city}, perles de verre et de résine sur cordon "
                "de coton.",
                "glass beads, resin beads, cotton cord",
            ),
        },
    ),
    "basket": ProductLine(
        (
            Title("en", "Doum palm basket, {colour} bands", ("doum-palm",)),
            Title("fr", "Panier en doum tressé, coloris {colour}", ("doum-palm",)),
            Title("ar", "سلة من الدوم منسوجة يدويا", ("doum-palm",)),
            Title("en", "Woven bread basket (tbak)", ("basketry", "doum-palm", "alfa-grass")),
            Title("fr", "Couffin tressé, anses en cuir", ("basketry",)),
            Title("fr", "Corbeille en alfa tressé", ("alfa-grass",)),
            Title("fr", "Sac en raphia {colour}", ("raffia-bags",)),
            Title("en", "Crocheted raffia tote, {colour}", ("raffia-bags",)),
            Title("en", "Rush placemats (hsira), {colour} wool motifs", ("hsira-mats",)),
            Title("ar", "حصير من السمار", ("hsira-mats",)),
        ),
        "Plaited and coiled by hand by the women of {coop} in {city}, dyed with natural pigments.",
        "Tressé à la main par les femmes de {coop} à {city}, teinté aux pigments naturels.",
        "doum palm, alfa grass, wool",
        ((20, 50), (15, 45)),
        (200, 1200),
        (70, 650),
        0.2,
        0.2,
        ("red", "blue", "green", "black", "natural"),
        makings={
            "raffia-bags": Making(
                "Crocheted by hand in raffia by the women of {coop} in {city}; lined with cotton.",
                "Crocheté à la main en raphia par les femmes de {coop} à {city}, doublé de coton.",
                "raffia, cotton lining",
            ),
            "hsira-mats": Making(
                "Woven on a loom at {coop} in {city} from rush stems, with wool motifs as Salé "
                "mat makers have done for centuries.",
                "Tissé sur métier chez {coop} à {city} en tiges de jonc, à motifs de laine.",
                "rush, wool",
            ),
        },
    ),
    "cosmetics": ProductLine(
        (
            Title("en", "Organic argan oil, {colour} 100 ml", ("argan-cosmetics",)),
            Title("fr", "Huile d'argan bio pressée à froid", ("argan-cosmetics",)),
            Title("ar", "زيت أركان عضوي", ("argan-cosmetics",)),
            Title("fr", "Savon noir beldi à l'eucalyptus", ("black-soap",)),
            Title("en", "Beldi black soap with olive oil, 250 g", ("black-soap",)),
            Title("ar", "صابون بلدي بزيت الزيتون", ("black-soap",)),
            Title("en", "Handmade olive-oil and argan soap", ("handmade-soaps",)),
            Title("fr", "Savon artisanal à l'huile d'argan", ("handmade-soaps",)),
            Title("fr", "Ghassoul de l'Atlas 250 g", ("ghassoul",)),
            Title("ar", "غاسول طبيعي من الأطلس", ("ghassoul",)),
        ),
        "Pressed and packed by {coop} in {city}. Certified organic; no additives.",
        "Pressé et conditionné par {coop} à {city}. Certifié biologique, sans additif.",
        "argan kernels",
        ((5, 8), (12, 18)),
        (120, 400),
        (60, 380),
        0.0,
        0.0,
        ("cosmetic grade", "culinary", "rose", "orange blossom"),
        makings={
            "black-soap": Making(
                "Cooked by hand at {coop} in {city} from olive oil and potash, as the hammams "
                "use it; no additives.",
                "Cuit à la main chez {coop} à {city}, huile d'olive et potasse, comme au hammam ; "
                "sans additif.",
                "olive oil, potash",
            ),
            "handmade-soaps": Making(
                "Made by hand at {coop} in {city} from olive and argan oils, then cured for six "
                "weeks; no additives.",
                "Fait à la main chez {coop} à {city}, huiles d'olive et d'argan, séché six "
                "semaines ; sans additif.",
                "olive oil, argan oil",
            ),
            "ghassoul": Making(
                "Mined in the Middle Atlas, then washed, sun-dried and sieved by {coop} in "
                "{city}; nothing added.",
                "Extrait dans le Moyen Atlas, lavé, séché au soleil et tamisé par {coop} à "
                "{city}, sans additif.",
                "ghassoul clay",
            ),
        },
    ),
}

"""The 13 production branches of Moroccan handicraft; position follows this order."""

# Each entry: slug, then the name in English, French and Arabic.
# fmt: off
BRANCHES: tuple[tuple[str, str, str, str], ...] = (
    ("textiles", "Textiles and carpets", "Textile et tapis", "النسيج والزرابي"),
    ("pottery-ceramics", "Pottery and ceramics", "Poterie et céramique", "الفخار والخزف"),
    ("zellige-plaster-stone", "Zellige, plaster and stone", "Zellige, plâtre et pierre", "الزليج والجبس والحجر"),
    ("woodwork", "Woodwork", "Travail du bois", "الصناعات الخشبية"),
    ("leather", "Leatherwork", "Travail du cuir", "الصناعات الجلدية"),
    ("metalwork", "Metalwork and dinanderie", "Ferronnerie et dinanderie", "الصناعات المعدنية والنحاسية"),
    ("jewellery", "Jewellery", "Bijouterie", "الحلي والمجوهرات"),
    ("basketry", "Basketry and plant fibres", "Vannerie et fibres végétales", "صناعة السلال والألياف النباتية"),
    ("clothing-embroidery", "Traditional clothing and embroidery", "Habillement traditionnel et broderie", "اللباس التقليدي والطرز"),
    ("natural-cosmetics", "Cosmetics and natural products", "Cosmétiques et produits naturels", "مستحضرات التجميل والمنتجات الطبيعية"),
    ("glass", "Glasswork", "Verrerie", "الصناعات الزجاجية"),
    ("musical-instruments", "Musical instruments", "Instruments de musique", "الآلات الموسيقية"),
    ("painting-calligraphy", "Painting, calligraphy and sculpture", "Peinture, calligraphie et sculpture", "الرسم والخط والنحت"),
)
# fmt: on

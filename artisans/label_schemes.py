"""Labels Souk ships; `manage.py load_reference_data` loads them (names and texts in 3 languages).

Only schemes whose existence is on public record: the national label Morocco Handmade and
collective marks that the ministry in charge of handicrafts registered with OMPIC. No
geographical indication for a craft is shipped: law 133-12 (2016) provides for them, but none
registered could be confirmed here; admins add one in the admin once it is.
"""

MINISTRY = {
    "en": "Ministry of Tourism, Handicrafts and Social and Solidarity Economy",
    "fr": "Ministère du Tourisme, de l'Artisanat et de l'Économie Sociale et Solidaire",
    "ar": "وزارة السياحة والصناعة التقليدية والاقتصاد الاجتماعي والتضامني",
}


def _collective_mark(slug: str, names: dict[str, str], made: dict[str, str]) -> dict:
    """A collective mark of the ministry registered with OMPIC, for the products `made`."""
    return {
        "slug": slug,
        "kind": "collective_brand",
        "has_levels": False,
        "name": names,
        "issuer": MINISTRY,
        "description": {
            "en": f"Collective mark of the ministry in charge of handicrafts, registered with "
            f"OMPIC, for {made['en']}.",
            "fr": f"Marque collective du département de l'Artisanat, déposée à l'OMPIC, pour "
            f"{made['fr']}.",
            "ar": "علامة جماعية للقطاع الوصي على الصناعة التقليدية، مودعة لدى المكتب المغربي "
            f"للملكية الصناعية والتجارية، خاصة ب{made['ar']}.",
        },
    }


LABELS: tuple[dict, ...] = (
    {
        "slug": "morocco-handmade",
        "kind": "certification",
        "has_levels": True,
        "name": {"en": "Morocco Handmade", "fr": "Morocco Handmade", "ar": "Morocco Handmade"},
        "issuer": MINISTRY,
        "description": {
            "en": "The national label of Moroccan handicraft, launched in 2013. Production "
            "units (cooperatives, companies, individual artisans) are audited against its rules "
            "of use: authenticity, quality and working conditions. It has three levels.",
            "fr": "Label national de l'artisanat marocain, lancé en 2013. Les unités de "
            "production (coopératives, entreprises, artisans) sont auditées selon son règlement "
            "d'usage : authenticité, qualité et conditions de travail. Il compte trois niveaux.",
            "ar": "العلامة الوطنية للصناعة التقليدية المغربية، أُطلقت سنة 2013. تخضع وحدات "
            "الإنتاج (تعاونيات ومقاولات وصناع تقليديون) لافتحاص وفق نظام استعمالها: الأصالة "
            "والجودة وظروف العمل. وتضم ثلاثة مستويات.",
        },
    },
    _collective_mark(
        "tapis-rbati",
        {"en": "Tapis Rbati", "fr": "Tapis Rbati", "ar": "الزربية الرباطية"},
        {
            "en": "carpets knotted in the tradition of Rabat",
            "fr": "les tapis noués selon la tradition de Rabat",
            "ar": "الزرابي المعقودة وفق التقاليد الرباطية",
        },
    ),
    _collective_mark(
        "tapis-de-boujaad",
        {"en": "Tapis de Boujaad", "fr": "Tapis de Boujaad", "ar": "زربية بوجعد"},
        {
            "en": "carpets of Boujaad",
            "fr": "les tapis de Boujaad",
            "ar": "زرابي بوجعد",
        },
    ),
    _collective_mark(
        "tazerzite",
        {"en": "Tazerzite", "fr": "Tazerzite", "ar": "تازرزيت"},
        {
            "en": "silver jewellery of the Souss-Massa region",
            "fr": "les bijoux en argent de la région Souss-Massa",
            "ar": "الحلي الفضية لجهة سوس ماسة",
        },
    ),
    _collective_mark(
        "zellige-de-tetouan",
        {"en": "Zellige de Tétouan", "fr": "Zellige de Tétouan", "ar": "زليج تطوان"},
        {
            "en": "zellige made by hand in Tetouan",
            "fr": "le zellige fait main à Tétouan",
            "ar": "الزليج المصنوع يدويا بتطوان",
        },
    ),
    _collective_mark(
        "caftan-marocain",
        {"en": "Caftan marocain", "fr": "Caftan marocain", "ar": "قفطان مغربي"},
        {
            "en": "caftans made by the traditional Moroccan methods",
            "fr": "les caftans confectionnés selon les méthodes artisanales marocaines",
            "ar": "القفاطين المخيطة وفق الطرق التقليدية المغربية",
        },
    ),
)

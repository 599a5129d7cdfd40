"""Morocco's 12 regions (2015 territorial division); `manage.py load_reference_data` loads them."""

# (code, English, French, Arabic), in the official order of the 2015 decree; position follows it.
# fmt: off
REGIONS: tuple[tuple[str, str, str, str], ...] = (
    ("tanger-tetouan-al-hoceima", "Tangier-Tetouan-Al Hoceima", "Tanger-Tétouan-Al Hoceïma", "طنجة تطوان الحسيمة"),
    ("oriental", "Oriental", "L'Oriental", "الشرق"),
    ("fes-meknes", "Fez-Meknes", "Fès-Meknès", "فاس مكناس"),
    ("rabat-sale-kenitra", "Rabat-Sale-Kenitra", "Rabat-Salé-Kénitra", "الرباط سلا القنيطرة"),
    ("beni-mellal-khenifra", "Beni Mellal-Khenifra", "Béni Mellal-Khénifra", "بني ملال خنيفرة"),
    ("casablanca-settat", "Casablanca-Settat", "Casablanca-Settat", "الدار البيضاء سطات"),
    ("marrakech-safi", "Marrakech-Safi", "Marrakech-Safi", "مراكش آسفي"),
    ("draa-tafilalet", "Draa-Tafilalet", "Drâa-Tafilalet", "درعة تافيلالت"),
    ("souss-massa", "Souss-Massa", "Souss-Massa", "سوس ماسة"),
    ("guelmim-oued-noun", "Guelmim-Oued Noun", "Guelmim-Oued Noun", "كلميم واد نون"),
    ("laayoune-sakia-el-hamra", "Laayoune-Sakia El Hamra", "Laâyoune-Sakia El Hamra", "العيون الساقية الحمراء"),
    ("dakhla-oued-ed-dahab", "Dakhla-Oued Ed-Dahab", "Dakhla-Oued Ed-Dahab", "الداخلة وادي الذهب"),
)
# fmt: on

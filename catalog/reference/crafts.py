"""Named Moroccan crafts, each with its branch and the HS 2022 subheading its products usually take.

The subheading is the usual one, not the only one: a seller can pick another for a given product
(a wool djellaba and a cotton one differ). Every code here is in hs_nomenclature.py.
"""

# (slug, branch slug, HS subheading, English, French, Arabic)
# fmt: off
CRAFTS: tuple[tuple[str, str, str, str, str, str], ...] = (
    # Textiles and carpets
    ("knotted-carpets", "textiles", "570110", "Knotted carpets", "Tapis noués", "الزرابي المعقودة"),
    ("beni-ouarain-carpets", "textiles", "570110", "Beni Ouarain carpets", "Tapis Beni Ouarain", "زرابي بني وراين"),
    ("rabat-carpets", "textiles", "570110", "Rabat carpets", "Tapis de Rabat", "الزربية الرباطية"),
    ("taznakht-carpets", "textiles", "570110", "Taznakht carpets", "Tapis de Taznakht", "زرابي تازناخت"),
    ("hanbel", "textiles", "570210", "Hanbel flat-woven rugs", "Hanbel (tapis tissés à plat)", "الحنبل"),
    ("boucherouite", "textiles", "570190", "Boucherouite rag rugs", "Boucherouite (tapis de chiffons)", "البوشرويط"),
    ("handira", "textiles", "630120", "Handira wedding blankets", "Handira (couvertures de mariage)", "الحنديرة"),
    ("sabra-textiles", "textiles", "630499", "Sabra (cactus silk) textiles", "Textiles en sabra (soie de cactus)", "منسوجات الصبرة (حرير الصبار)"),
    ("handwoven-foutas", "textiles", "630291", "Handwoven foutas", "Foutas tissées à la main", "الفوطة المنسوجة يدويا"),
    # Pottery and ceramics
    ("fes-pottery", "pottery-ceramics", "691200", "Fes blue pottery", "Poterie bleue de Fès", "الفخار الفاسي الأزرق"),
    ("safi-ceramics", "pottery-ceramics", "691200", "Safi ceramics", "Céramique de Safi", "خزف آسفي"),
    ("tamegroute-pottery", "pottery-ceramics", "691200", "Tamegroute green pottery", "Poterie verte de Tamegroute", "فخار تمكروت الأخضر"),
    ("cooking-tagines", "pottery-ceramics", "691200", "Cooking tagines", "Tajines de cuisson", "طواجين الطهي الفخارية"),
    ("rif-pottery", "pottery-ceramics", "691390", "Rif women's pottery", "Poterie féminine du Rif", "الفخار النسوي الريفي"),
    ("terracotta-jars", "pottery-ceramics", "691490", "Terracotta jars and planters", "Jarres et pots en terre cuite", "الجرار والأصص الفخارية"),
    # Zellige, plaster and stone
    ("zellige", "zellige-plaster-stone", "690730", "Zellige mosaic", "Zellige", "الزليج"),
    ("zellige-tables", "zellige-plaster-stone", "940320", "Zellige mosaic tables", "Tables en zellige", "طاولات الزليج"),
    ("tadelakt", "zellige-plaster-stone", "681599", "Tadelakt", "Tadelakt", "تادلاكت"),
    ("carved-plaster", "zellige-plaster-stone", "680990", "Carved plaster (gebs)", "Plâtre sculpté (gebs)", "الجبس المنقوش"),
    ("marble-carving", "zellige-plaster-stone", "680291", "Marble carving", "Sculpture sur marbre", "النحت على الرخام"),
    ("fossil-stone", "zellige-plaster-stone", "680292", "Fossil stone (Erfoud)", "Pierre fossile (Erfoud)", "الحجر الأحفوري (أرفود)"),
    ("stone-carving", "zellige-plaster-stone", "680299", "Stone carving", "Taille de pierre", "نحت الحجر"),
    # Woodwork
    ("thuya-marquetry", "woodwork", "442090", "Thuya marquetry", "Marqueterie de thuya", "ترصيع خشب العرعار"),
    ("carved-cedar", "woodwork", "442019", "Carved cedar", "Bois de cèdre sculpté", "النقش على خشب الأرز"),
    ("painted-wood", "woodwork", "442090", "Painted wood (zouaq)", "Bois peint (zouaq)", "الخشب المزوق (الزواق)"),
    ("mashrabiya", "woodwork", "441899", "Mashrabiya screens", "Moucharabieh", "المشربية"),
    ("carved-doors", "woodwork", "441829", "Carved wooden doors", "Portes en bois sculpté", "الأبواب الخشبية المنقوشة"),
    ("wooden-furniture", "woodwork", "940360", "Traditional wooden furniture", "Mobilier traditionnel en bois", "الأثاث الخشبي التقليدي"),
    ("olive-wood-kitchenware", "woodwork", "441990", "Olive wood kitchenware", "Ustensiles en bois d'olivier", "أواني خشب الزيتون"),
    # Leatherwork
    ("babouches", "leather", "640359", "Babouches", "Babouches", "البلغة"),
    ("cherbil", "leather", "640420", "Embroidered cherbil slippers", "Cherbil (babouches brodées)", "الشربيل"),
    ("leather-bags", "leather", "420221", "Leather bags", "Sacs en cuir", "الحقائب الجلدية"),
    ("leather-poufs", "leather", "940490", "Leather poufs", "Poufs en cuir", "البوف الجلدي"),
    ("small-leather-goods", "leather", "420231", "Wallets and small leather goods", "Portefeuilles et petite maroquinerie", "المحافظ والمصنوعات الجلدية الصغيرة"),
    ("leather-belts", "leather", "420330", "Leather belts", "Ceintures en cuir", "الأحزمة الجلدية"),
    ("tasfir-bookbinding", "leather", "420500", "Gilded leather bookbinding (tasfir)", "Reliure en cuir doré (tasfir)", "التسفير (التجليد بالجلد المذهب)"),
    ("saddlery", "leather", "420100", "Saddlery and fantasia saddles", "Sellerie et selles de fantasia", "السراجة وسروج التبوريدة"),
    ("goatskin-lamps", "leather", "940529", "Henna-painted goatskin lamps", "Lampes en peau de chèvre peinte au henné", "مصابيح جلد الماعز المزينة بالحناء"),
    # Metalwork and dinanderie
    ("wrought-iron", "metalwork", "732690", "Wrought iron", "Ferronnerie d'art", "الحدادة الفنية"),
    ("wrought-iron-furniture", "metalwork", "940320", "Wrought iron furniture", "Mobilier en fer forgé", "الأثاث من الحديد المطروق"),
    ("copperware", "metalwork", "741810", "Copperware", "Dinanderie en cuivre", "الأواني النحاسية"),
    ("engraved-brass-trays", "metalwork", "741810", "Engraved brass trays", "Plateaux en laiton ciselé", "الصواني النحاسية المنقوشة"),
    ("teapots", "metalwork", "741810", "Moroccan teapots", "Théières marocaines", "البراريد المغربية"),
    ("brass-lanterns", "metalwork", "940519", "Brass lanterns", "Lanternes en laiton", "الفوانيس النحاسية"),
    ("copper-sinks", "metalwork", "741820", "Hammered copper sinks", "Vasques en cuivre martelé", "أحواض النحاس المطروق"),
    ("silverware", "metalwork", "711411", "Silverware", "Orfèvrerie en argent", "الأواني الفضية"),
    ("damascening", "metalwork", "830629", "Meknes damascening", "Damasquinerie de Meknès", "التكفيت المكناسي"),
    ("metal-mirrors", "metalwork", "700992", "Metal-framed mirrors", "Miroirs à cadre en métal ciselé", "المرايا ذات الإطار المعدني المنقوش"),
    # Jewellery
    ("tiznit-silver-jewellery", "jewellery", "711311", "Tiznit silver jewellery", "Bijoux en argent de Tiznit", "الحلي الفضية التزنيتية"),
    ("amazigh-jewellery", "jewellery", "711311", "Amazigh jewellery", "Bijoux amazighs", "الحلي الأمازيغية"),
    ("fibulae", "jewellery", "711311", "Fibulae (tizerzai)", "Fibules (tizerzaï)", "التزرزيت (المشابك)"),
    ("enamelled-jewellery", "jewellery", "711311", "Enamelled silver jewellery", "Bijoux en argent émaillé", "الحلي الفضية المطلية بالمينا"),
    ("fes-gold-jewellery", "jewellery", "711319", "Fes gold jewellery", "Bijoux en or de Fès", "الحلي الذهبية الفاسية"),
    ("beaded-jewellery", "jewellery", "711790", "Beaded jewellery", "Bijoux en perles", "حلي الخرز"),
    # Basketry and plant fibres
    ("basketry", "basketry", "460219", "Basketry", "Vannerie", "صناعة السلال"),
    ("doum-palm", "basketry", "460219", "Doum palm weaving", "Tressage du doum", "منتوجات الدوم"),
    ("alfa-grass", "basketry", "460219", "Alfa grass weaving", "Tressage de l'alfa", "منتوجات الحلفاء"),
    ("raffia-bags", "basketry", "460219", "Raffia bags", "Sacs en raphia", "حقائب الرافية"),
    ("hsira-mats", "basketry", "460129", "Rush mats (hsira)", "Nattes en jonc (hsira)", "الحصير"),
    ("straw-hats", "basketry", "650400", "Straw hats", "Chapeaux de paille", "قبعات القش"),
    # Traditional clothing and embroidery
    ("caftans", "clothing-embroidery", "620443", "Caftans", "Caftans", "القفطان"),
    ("djellabas", "clothing-embroidery", "621139", "Djellabas", "Djellabas", "الجلابة"),
    ("gandouras", "clothing-embroidery", "621132", "Gandouras", "Gandouras", "القندورة"),
    ("burnous", "clothing-embroidery", "620120", "Burnous and selham capes", "Burnous et selhams", "البرنس والسلهام"),
    ("fes-embroidery", "clothing-embroidery", "581091", "Fes embroidery", "Broderie de Fès", "الطرز الفاسي"),
    ("rabat-embroidery", "clothing-embroidery", "581099", "Rabat embroidery", "Broderie de Rabat", "الطرز الرباطي"),
    ("embroidered-table-linen", "clothing-embroidery", "630251", "Embroidered table linen", "Linge de table brodé", "مفارش المائدة المطرزة"),
    ("sfifa-passementerie", "clothing-embroidery", "580890", "Sfifa braids and akkad buttons", "Passementerie (sfifa et akkad)", "السفيفة والعقاد"),
    ("tarbouch", "clothing-embroidery", "650500", "Fez hats (tarbouch)", "Tarbouches", "الطربوش الفاسي"),
    # Cosmetics and natural products
    ("argan-cosmetics", "natural-cosmetics", "330499", "Argan cosmetics", "Cosmétiques à l'argan", "مستحضرات التجميل بالأركان"),
    ("black-soap", "natural-cosmetics", "340120", "Black soap (beldi)", "Savon noir (beldi)", "الصابون البلدي"),
    ("ghassoul", "natural-cosmetics", "330730", "Ghassoul clay", "Ghassoul", "الغاسول"),
    ("rose-water", "natural-cosmetics", "330190", "Rose water (Kelaat M'Gouna)", "Eau de rose (Kelâat M'Gouna)", "ماء الورد (قلعة مكونة)"),
    ("bkhour-incense", "natural-cosmetics", "330741", "Incense (bkhour)", "Encens (bkhour)", "البخور"),
    ("kohl", "natural-cosmetics", "330420", "Kohl", "Khôl", "الكحل"),
    ("handmade-soaps", "natural-cosmetics", "340111", "Handmade soaps", "Savons artisanaux", "الصابون التقليدي"),
    # Glasswork
    ("glass-lanterns", "glass", "940550", "Glass lanterns", "Lanternes en verre", "الفوانيس الزجاجية"),
    ("blown-glass", "glass", "701399", "Hand-blown glass", "Verre soufflé", "الزجاج المنفوخ"),
    ("tea-glasses", "glass", "701337", "Tea glasses", "Verres à thé", "كؤوس الشاي"),
    ("stained-glass", "glass", "701690", "Stained glass (chemssiya)", "Vitrail (chemssiya)", "الزجاج الملون (الشمسية)"),
    # Musical instruments
    ("oud", "musical-instruments", "920290", "Oud", "Oud", "العود"),
    ("guembri", "musical-instruments", "920290", "Guembri", "Guembri", "الكمبري (الهجهوج)"),
    ("loutar", "musical-instruments", "920290", "Loutar", "Loutar", "اللوتار"),
    ("rebab", "musical-instruments", "920210", "Amazigh rebab", "Rebab amazigh", "الرباب الأمازيغي"),
    ("bendir", "musical-instruments", "920600", "Bendir frame drum", "Bendir", "البندير"),
    ("darbuka", "musical-instruments", "920600", "Darbuka", "Derbouka", "الدربوكة"),
    ("qraqeb", "musical-instruments", "920600", "Qraqeb castanets", "Crotales (qraqeb)", "القراقب"),
    # Painting, calligraphy and sculpture
    ("calligraphy", "painting-calligraphy", "970191", "Arabic calligraphy", "Calligraphie arabe", "الخط العربي"),
    ("painting", "painting-calligraphy", "970191", "Painting", "Peinture", "الرسم التشكيلي"),
    ("illumination", "painting-calligraphy", "970191", "Manuscript illumination", "Enluminure", "التذهيب والزخرفة"),
    ("sculpture", "painting-calligraphy", "970390", "Sculpture", "Sculpture", "النحت"),
    ("printmaking", "painting-calligraphy", "970290", "Printmaking", "Gravure", "فن الحفر والطباعة"),
)
# fmt: on

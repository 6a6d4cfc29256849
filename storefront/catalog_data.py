"""The demo catalog: a small Japanese homeware shop. Prices are yen, tax included."""

CATEGORIES = [
    ("tea", "Tea"),
    ("tableware", "Tableware"),
    ("kitchen", "Kitchen"),
    ("textiles", "Textiles"),
]

# (sku, slug, name, description, price, category slug)
PRODUCTS = [
    ("TEA-001", "uji-matcha-ceremonial", "Uji Matcha, Ceremonial Grade 30 g",
     "Stone-ground first-flush matcha from Uji, Kyoto. Bright green, smooth and naturally sweet.", 3240, "tea"),
    ("TEA-002", "shizuoka-sencha", "Shizuoka Sencha 100 g",
     "Deep-steamed sencha from the slopes of Mount Fuji, grassy with a gentle umami finish.", 1620, "tea"),
    ("TEA-003", "kyoto-hojicha", "Kyoto Hojicha 80 g",
     "Roasted green tea with a toasty, caramel aroma and very little caffeine. Lovely after dinner.", 1080, "tea"),
    ("TEA-004", "genmaicha-matcha", "Genmaicha with Matcha 200 g",
     "Green tea with roasted brown rice, dusted with matcha for a fuller cup.", 980, "tea"),
    ("TBL-001", "arita-indigo-rice-bowl", "Arita Indigo Rice Bowl",
     "Hand-painted Arita porcelain with a traditional karakusa pattern in deep indigo.", 2750, "tableware"),
    ("TBL-002", "mino-tea-cup-pair", "Mino Tea Cup Pair",
     "Two yunomi cups in speckled ash glaze from Mino, Gifu. Each one slightly different.", 3960, "tableware"),
    ("TBL-003", "hasami-plate-22", "Hasami Porcelain Plate 22 cm",
     "A stackable, matte white plate from Hasami, Nagasaki. Dishwasher and microwave safe.", 2420, "tableware"),
    ("TBL-004", "wakasa-lacquer-chopsticks", "Wakasa Lacquer Chopsticks, Set of 2",
     "Chopsticks layered with lacquer and eggshell in Obama, Fukui, polished to a soft sheen.", 1650, "tableware"),
    ("KIT-001", "copper-tamagoyaki-pan", "Copper Tamagoyaki Pan",
     "A tin-lined copper pan from Tsubame-Sanjo for rolled omelettes that cook evenly.", 8800, "kitchen"),
    ("KIT-002", "seki-santoku-knife", "Seki Santoku Knife 165 mm",
     "An all-purpose kitchen knife forged in Seki, Gifu, with a magnolia wood handle.", 12100, "kitchen"),
    ("KIT-003", "hinoki-cutting-board", "Hinoki Cutting Board",
     "Cypress wood from Kiso that is kind to knife edges and smells of the forest.", 4950, "kitchen"),
    ("KIT-004", "bamboo-matcha-whisk", "Bamboo Matcha Whisk (Chasen)",
     "Carved by hand in Takayama, Nara, from a single piece of bamboo: 80 tines.", 2200, "kitchen"),
    ("TXT-001", "imabari-face-towel", "Imabari Face Towel",
     "Soft, absorbent cotton towel woven in Imabari, Ehime. Gets softer with every wash.", 1320, "textiles"),
    ("TXT-002", "tenugui-waves", "Tenugui, Blue Waves",
     "A hand-dyed cotton cloth for the kitchen, the bath or to wrap a gift.", 990, "textiles"),
    ("TXT-003", "furoshiki-70", "Cotton Furoshiki 70 cm",
     "A wrapping cloth that carries bento, bottles and gifts, and replaces a paper bag.", 2640, "textiles"),
    ("TXT-004", "indigo-noren", "Indigo Noren Curtain",
     "A linen doorway curtain dyed with natural indigo in Tokushima.", 5500, "textiles"),
]

"""The demo catalog: a small Japanese homeware shop. Prices are yen, tax included.

Japanese is the original text of every product; English is its translation.
"""
from .tax import REDUCED

# (slug, Japanese name, English name)
CATEGORIES = [
    ("tea", "お茶", "Tea"),
    ("tableware", "器・食器", "Tableware"),
    ("kitchen", "キッチン道具", "Kitchen"),
    ("textiles", "布もの", "Textiles"),
]

# (sku, slug, (name ja, name en), (description ja, description en), price, category slug)
PRODUCTS = [
    ("TEA-001", "uji-matcha-ceremonial", ("宇治抹茶（濃茶用）30g", "Uji Matcha, Ceremonial Grade 30 g"),
     ("京都・宇治の一番茶を石臼で挽いた抹茶です。鮮やかな緑色で、まろやかな甘みがあります。",
      "Stone-ground first-flush matcha from Uji, Kyoto. Bright green, smooth and naturally sweet."), 3240, "tea"),
    ("TEA-002", "shizuoka-sencha", ("静岡 深蒸し煎茶 100g", "Shizuoka Sencha 100 g"),
     ("富士山麓の斜面で育った深蒸し煎茶です。青々とした香りと、やさしい旨みの余韻をお楽しみください。",
      "Deep-steamed sencha from the slopes of Mount Fuji, grassy with a gentle umami finish."), 1620, "tea"),
    ("TEA-003", "kyoto-hojicha", ("京都 ほうじ茶 80g", "Kyoto Hojicha 80 g"),
     ("キャラメルのような香ばしさが広がるほうじ茶です。カフェインが少なく、夕食後の一杯にもおすすめです。",
      "Roasted green tea with a toasty, caramel aroma and very little caffeine. Lovely after dinner."), 1080, "tea"),
    ("TEA-004", "genmaicha-matcha", ("抹茶入り玄米茶 200g", "Genmaicha with Matcha 200 g"),
     ("香ばしく炒った玄米に抹茶を加えた緑茶です。コクのある味わいに仕上げました。",
      "Green tea with roasted brown rice, dusted with matcha for a fuller cup."), 980, "tea"),
    ("TBL-001", "arita-indigo-rice-bowl", ("有田焼 藍染付 飯碗", "Arita Indigo Rice Bowl"),
     ("伝統の唐草文様を深い藍色で一つひとつ手描きした、有田焼の磁器の飯碗です。",
      "Hand-painted Arita porcelain with a traditional karakusa pattern in deep indigo."), 2750, "tableware"),
    ("TBL-002", "mino-tea-cup-pair", ("美濃焼 湯呑み 2客セット", "Mino Tea Cup Pair"),
     ("岐阜・美濃の灰釉に細かな斑点が浮かぶ湯呑みです。ひとつずつ表情が異なります。",
      "Two yunomi cups in speckled ash glaze from Mino, Gifu. Each one slightly different."), 3960, "tableware"),
    ("TBL-003", "hasami-plate-22", ("波佐見焼 平皿 22cm", "Hasami Porcelain Plate 22 cm"),
     ("長崎・波佐見の、重ねやすいマットな白い平皿です。食洗機・電子レンジに対応しています。",
      "A stackable, matte white plate from Hasami, Nagasaki. Dishwasher and microwave safe."), 2420, "tableware"),
    ("TBL-004", "wakasa-lacquer-chopsticks", ("若狭塗 箸 2膳セット", "Wakasa Lacquer Chopsticks, Set of 2"),
     ("福井・小浜で漆と卵の殻を塗り重ね、やわらかな艶に研ぎ出したお箸です。",
      "Chopsticks layered with lacquer and eggshell in Obama, Fukui, polished to a soft sheen."), 1650, "tableware"),
    ("KIT-001", "copper-tamagoyaki-pan", ("銅製 玉子焼き器", "Copper Tamagoyaki Pan"),
     ("燕三条でつくられた錫引きの銅製玉子焼き器です。熱がむらなく伝わり、ふっくらと焼き上がります。",
      "A tin-lined copper pan from Tsubame-Sanjo for rolled omelettes that cook evenly."), 8800, "kitchen"),
    ("KIT-002", "seki-santoku-knife", ("関 三徳包丁 165mm", "Seki Santoku Knife 165 mm"),
     ("岐阜・関で鍛えた万能包丁です。柄には朴の木を使っています。",
      "An all-purpose kitchen knife forged in Seki, Gifu, with a magnolia wood handle."), 12100, "kitchen"),
    ("KIT-003", "hinoki-cutting-board", ("木曽檜のまな板", "Hinoki Cutting Board"),
     ("木曽の檜を使ったまな板です。刃あたりがやさしく、ほのかに森の香りがします。",
      "Cypress wood from Kiso that is kind to knife edges and smells of the forest."), 4950, "kitchen"),
    ("KIT-004", "bamboo-matcha-whisk", ("竹の茶筅（80本立）", "Bamboo Matcha Whisk (Chasen)"),
     ("奈良・高山で一本の竹から手作業で削り出した、穂先80本の茶筅です。",
      "Carved by hand in Takayama, Nara, from a single piece of bamboo: 80 tines."), 2200, "kitchen"),
    ("TXT-001", "imabari-face-towel", ("今治 フェイスタオル", "Imabari Face Towel"),
     ("愛媛・今治で織られた、やわらかく吸水性のよい綿のタオルです。洗うほどに風合いが増します。",
      "Soft, absorbent cotton towel woven in Imabari, Ehime. Gets softer with every wash."), 1320, "textiles"),
    ("TXT-002", "tenugui-waves", ("手ぬぐい 青海波", "Tenugui, Blue Waves"),
     ("手染めの綿の手ぬぐいです。台所やお風呂で、また贈り物の包みにもお使いいただけます。",
      "A hand-dyed cotton cloth for the kitchen, the bath or to wrap a gift."), 990, "textiles"),
    ("TXT-003", "furoshiki-70", ("綿の風呂敷 70cm", "Cotton Furoshiki 70 cm"),
     ("お弁当やボトル、贈り物を包んで運べる風呂敷です。紙袋の代わりにもなります。",
      "A wrapping cloth that carries bento, bottles and gifts, and replaces a paper bag."), 2640, "textiles"),
    ("TXT-004", "indigo-noren", ("藍染 麻ののれん", "Indigo Noren Curtain"),
     ("徳島の天然藍で染めた、麻ののれんです。",
      "A linen doorway curtain dyed with natural indigo in Tokushima."), 5500, "textiles"),
]

# What may be ordered as a 定期便 (a delivery every month or two): the teas, as Japanese tea shops sell them.
SUBSCRIBABLE_CATEGORIES = {"tea"}

# The consumption-tax rate of each category (storefront/tax.py): tea is food, at the reduced rate (軽減税率).
TAX_RATES = {"tea": REDUCED}

"""The pages Japanese law and shoppers expect of an online shop, and the shop's own details they show.

    settings.py  who sells: 事業者名, 代表者, 所在地, 電話, the 登録番号 of a qualified-invoice issuer; demo values in
                 development, required in production (the shop refuses to start without them, in one sentence)
    views.py     特定商取引法に基づく表記 (/legal/commerce), プライバシーポリシー, 返品・キャンセルについて, お問い合わせ

Every page's footer links them (templates/base.html), and so does the checkout's final confirmation. LEGAL_PAGES=0
turns the pages off for a merchant whose site shows them elsewhere; the 登録番号 still goes on receipts.
"""
from flask import Flask

from .settings import shop_details, validate_shop_details


def init_app(app: Flask) -> None:
    from .views import bp

    app.config.update({name: value for name, value in shop_details().items() if name not in app.config})
    validate_shop_details(app.config)
    if app.config.get("LEGAL_PAGES", True):
        app.register_blueprint(bp)
    app.context_processor(lambda: {"legal_pages": app.config.get("LEGAL_PAGES", True)})

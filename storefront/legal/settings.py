"""The shop's own details, from the environment. Development shows a made-up business, labelled as one (as the bank
account is); production refuses to start until the real one is set, because the law requires it shown."""
import os
import re

from ..config import ConfigError, env_int, is_production

DETAILS = ("SHOP_LEGAL_NAME", "SHOP_REPRESENTATIVE", "SHOP_ADDRESS", "SHOP_PHONE")
DEMO_DETAILS = {"SHOP_LEGAL_NAME": "株式会社ひのきマーケット（デモ）", "SHOP_REPRESENTATIVE": "檜山花子",
                "SHOP_ADDRESS": "〒153-0061 東京都目黒区中目黒1-2-3", "SHOP_PHONE": "03-1234-5678",
                "INVOICE_REGISTRATION_NUMBER": "T1234567890123"}
REGISTRATION_NUMBER = re.compile(r"T\d{13}")  # 適格請求書発行事業者の登録番号: T and 13 digits


def shop_details() -> dict:
    given = {name: os.environ.get(name, "").strip() for name in (*DETAILS, "INVOICE_REGISTRATION_NUMBER")}
    demo = not is_production() and not any(given[name] for name in DETAILS)
    return {**(DEMO_DETAILS if demo else given),
            "SHOP_DETAILS_DEMO": demo,
            "SHOP_PHONE_HOURS": os.environ.get("SHOP_PHONE_HOURS", "平日10:00〜17:00"),
            "LEGAL_PAGES": bool(env_int("LEGAL_PAGES", 1))}


def validate_shop_details(config) -> None:
    missing = [name for name in DETAILS if not config.get(name)]
    if missing and config.get("LEGAL_PAGES", True):
        raise ConfigError(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: the 特定商取引法に基づく表記 "
                          "page must say who sells, so set them (or LEGAL_PAGES=0 if your site shows it elsewhere).")
    number = config.get("INVOICE_REGISTRATION_NUMBER") or ""
    if number and not REGISTRATION_NUMBER.fullmatch(number):
        raise ConfigError(f"INVOICE_REGISTRATION_NUMBER {number!r} is not a registration number: T and 13 digits, "
                          "for example T1234567890123.")

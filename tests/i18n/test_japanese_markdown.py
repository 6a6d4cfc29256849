"""The Japanese guide as Japanese readers see it: one paragraph per line (a line break inside a Japanese
paragraph renders as a stray space, 「ネット ワーク」), and every UI label it quotes in 「」 is one the Japanese UI
really shows."""
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from scripts.unwrap_japanese_markdown import unwrap

ROOT = Path(__file__).resolve().parents[2]
GUIDES = sorted((ROOT / "docs").rglob("*.ja.md"))
# Quoted words that are not UI labels: the exercise's own target, and a status chip word that labels.py holds.
NOT_LABELS = {"入金（<id>）：<amount>円が銀行口座に振り込まれました", "リクエスト URL をブロック", "ネットワーク",
              "Block request URL"}


def japanese_texts() -> list[str]:
    texts = []
    for app in ("storefront", "sandbox"):
        with (ROOT / app / "translations" / "ja" / "LC_MESSAGES" / "messages.po").open("rb") as po:
            texts += [m.string for m in read_po(po) if m.id and isinstance(m.string, str)]
    return texts


@pytest.mark.parametrize("guide", GUIDES, ids=lambda path: path.name)
def test_each_japanese_paragraph_is_one_line(guide):
    text = guide.read_text()
    assert unwrap(text) == text, f"{guide.name} has Japanese paragraphs broken across lines: run " \
                                 f"scripts/unwrap_japanese_markdown.py on it"


@pytest.mark.parametrize("guide", GUIDES, ids=lambda path: path.name)
def test_the_labels_the_guide_quotes_are_the_ones_the_ui_shows(guide):
    import re

    shown = japanese_texts()
    quoted = set(re.findall(r"「([^」]+)」", guide.read_text())) - NOT_LABELS
    unknown = sorted(label for label in quoted if not any(label in text for text in shown))
    assert not unknown, f"{guide.name} quotes labels the Japanese UI does not show: {unknown}"

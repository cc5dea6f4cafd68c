from newsdossier.article import closest_passage, decode_seed, locate, normalize, split_blocks, Article
from newsdossier.errors import Problems


def test_normalize_is_nfc_and_whitespace_only():
    assert normalize("A\u0308pfel \t\n  und\u00a0Birnen ") == "Äpfel und Birnen"
    assert normalize("„Zitat“") == "„Zitat“"  # quotation marks are not unified


def test_bom_and_windows_line_endings_are_accepted():
    problems = Problems()
    text = decode_seed(b"\xef\xbb\xbfTitel\r\n\r\nAbsatz eins.\r\n", "seeds/a.txt", problems)
    assert not problems and text == "Titel\n\nAbsatz eins.\n"


def test_invalid_utf8_is_reported_with_byte_offset_line_and_column():
    problems = Problems()
    assert decode_seed(b"Titel\n\nGr\xfc\xdfe\n", "seeds/a.txt", problems) is None
    [p] = problems.all()
    assert p.format().startswith("seeds/a.txt:3:3: error: not valid UTF-8: byte 0xfc at byte offset 9")


def test_blocks_furniture_and_paragraph_numbers():
    raw = "Titel\n\n  1. Startseite\nKommentare\n\nErster Absatz\nmit zwei Zeilen.\n\nZwischentitel\n\nZweiter Absatz.\n"
    blocks = split_blocks(raw, {"Titel": "headline", "1. Startseite": "navigation", "Kommentare": "comments",
                                "Zwischentitel": "subheading"})
    body = [(b.kind, b.anchor, b.text) for b in blocks if b.citable]
    assert body == [("paragraph", "p1", "Erster Absatz mit zwei Zeilen."), ("subheading", "zt1", "Zwischentitel"),
                    ("paragraph", "p2", "Zweiter Absatz.")]
    assert [b.kind for b in blocks if not b.citable] == ["headline", "navigation", "comments"]


def _article(raw, furniture=None):
    return Article("seeds/a.txt", raw, split_blocks(raw, furniture or {}))


def test_locate_finds_each_occurrence_and_nothing_fuzzy():
    art = _article("Eins zwei drei.\n\nZwei drei vier. Eins zwei.\n")
    assert [(m.block.number, m.start) for m in locate(art, "Eins zwei")] == [(1, 0), (2, 16)]
    assert locate(art, "eins zwei") == []
    assert [m.block.number for m in locate(art, "Zwei   drei\nvier")] == [2]


def test_closest_passage_points_at_the_likely_intended_text():
    art = _article("Das Pentagon geht von 10.000 Soldaten aus.\n\nAnderes Thema.\n")
    block, passage, score = closest_passage(art, "Das Pentagon geht von 10000 Soldaten aus")
    assert block.number == 1 and "10.000" in passage and score > 85

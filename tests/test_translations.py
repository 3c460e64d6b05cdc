"""The Vietnamese catalogue is complete and its compiled form is current."""

from __future__ import annotations

import re

import polib

from dtis.core.i18n_build import catalogues

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}")


def test_every_ui_string_has_a_vietnamese_translation():
    (po_path,) = [p for p in catalogues() if "/vi/" in str(p)]
    catalogue = polib.pofile(str(po_path))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_translations_keep_every_placeholder():
    for po_path in catalogues():
        for entry in polib.pofile(str(po_path)).translated_entries():
            translations = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
            expected = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
            for text in translations:
                assert sorted(PLACEHOLDER.findall(text)) == expected, entry.msgid


def test_the_compiled_catalogue_matches_the_source(tmp_path):  # type: ignore[no-untyped-def]
    for po_path in catalogues():
        fresh = tmp_path / "fresh.mo"
        polib.pofile(str(po_path)).save_as_mofile(str(fresh))
        assert fresh.read_bytes() == po_path.with_suffix(".mo").read_bytes(), (
            f"{po_path.with_suffix('.mo')} is stale: run `make messages`"
        )

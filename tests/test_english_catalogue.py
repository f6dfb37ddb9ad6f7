"""English is complete: every msgid of the portal's own files has an English msgstr, none fuzzy, and no template shows
Vietnamese text outside {% translate %}/{% blocktranslate %}.

Official documents (templates/documents/, rendered to PDF in the Decree 30 layout) are deliberately Vietnamese only:
they are legal documents of a Vietnamese body, whatever the reader's interface language, so they carry no translation
tags and must not appear in the catalogue."""

import re
from pathlib import Path

from .po_catalogue import ROOT, portal_entries, project_catalogues

VIETNAMESE_LETTER = re.compile(
    "[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ"
    "ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸĐ]"
)
# Text a template may show in Vietnamese whatever the language, each for a reason:
UNTRANSLATED_ON_PURPOSE = {
    "Tiếng Việt",  # a language is named in its own language in the language selector
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",  # the official document's national motto (its on-screen preview)
    "Độc lập - Tự do - Hạnh phúc",
    "đ",  # the đồng sign after an amount
}
TEMPLATE_TAGS = re.compile(
    r"\{%\s*(blocktranslate|blocktrans)\b.*?\{%\s*end\1\s*%\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}"
    r"|\{%.*?%\}|\{#.*?#\}|\{\{.*?\}\}",
    re.S,
)
OFFICIAL_DOCUMENTS = "templates/documents/"


def _is_portal_reference(reference: str) -> bool:
    return not reference.startswith((".venv/", "../")) and "site-packages" not in reference


def test_the_portal_has_english_catalogues():
    assert [path.relative_to(ROOT).as_posix() for path in project_catalogues()] == [
        "locale/en/LC_MESSAGES/django.po",
        "contest/locale/en/LC_MESSAGES/django.po",
        "directives/locale/en/LC_MESSAGES/django.po",
        "notifications/locale/en/LC_MESSAGES/django.po",
        "public/locale/en/LC_MESSAGES/django.po",
        "reporting/locale/en/LC_MESSAGES/django.po",
    ]


def test_every_portal_msgid_has_an_english_msgstr_and_none_is_fuzzy():
    entries = [(path, entry) for path, entry in portal_entries() if any(map(_is_portal_reference, entry.references))]
    assert len(entries) > 1500
    untranslated = [
        f"{path.relative_to(ROOT)}: {entry.msgid!r} ({', '.join(entry.references[:2])})"
        for path, entry in entries
        if not entry.is_translated
    ]
    assert untranslated == []


def test_official_documents_are_not_in_the_catalogue():
    translated_from_documents = [
        entry.msgid
        for _path, entry in portal_entries()
        if any(ref.startswith(OFFICIAL_DOCUMENTS) for ref in entry.references)
    ]
    assert translated_from_documents == []


def _untagged_vietnamese(template: Path) -> list[str]:
    text = TEMPLATE_TAGS.sub("\n", template.read_text(encoding="utf-8"))
    found = []
    for chunk in re.split(r"<[^>]*>|\n", text):
        chunk = chunk.strip()
        if chunk and VIETNAMESE_LETTER.search(chunk) and chunk not in UNTRANSLATED_ON_PURPOSE:
            found.append(chunk)
    return found


def test_templates_show_no_vietnamese_outside_translation_tags():
    templates = [
        path
        for path in sorted((ROOT / "templates").rglob("*"))
        if path.is_file() and not path.relative_to(ROOT).as_posix().startswith(OFFICIAL_DOCUMENTS)
    ]
    assert len(templates) > 100
    found = {str(path.relative_to(ROOT)): _untagged_vietnamese(path) for path in templates}
    assert {path: chunks for path, chunks in found.items() if chunks} == {}

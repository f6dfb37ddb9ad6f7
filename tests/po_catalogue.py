"""A small reader of the project's gettext catalogues (.po), enough for the tests that keep the English complete:
the catalogue test (no empty or fuzzy msgstr for the portal's own strings) and the browser scan of English pages
for Vietnamese interface strings left untranslated."""

import ast
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)  # one per plural form
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)  # "path:line"
    obsolete: bool = False

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def is_translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr) and "fuzzy" not in self.flags


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def parse(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    entry = Entry()
    key = None  # the keyword the next continuation line belongs to
    started = False

    def finish():
        nonlocal entry, started, key
        if started:
            entries.append(entry)
        entry, started, key = Entry(), False, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            entry.obsolete = True
        elif line.startswith("#,"):
            if started:
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        elif line.startswith("#:"):
            if started:
                finish()
            entry.references.extend(line[2:].split())
            continue
        elif line.startswith("#"):
            continue
        if line.startswith('"'):
            _append(entry, key, _unquote(line))
            continue
        keyword, _, value = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and started and key not in (None, "msgctxt"):
            finish()
            entry.obsolete = obsolete
        started = True
        key = keyword
        _append(entry, key, _unquote(value), new=True)
    finish()
    return entries


def _append(entry: Entry, key: str | None, text: str, new: bool = False) -> None:
    if key == "msgid":
        entry.msgid += text
    elif key == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    elif key == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text
    elif key and key.startswith("msgstr"):
        if new:
            entry.msgstr.append(text)
        else:
            entry.msgstr[-1] += text


def project_catalogues(language: str = "en") -> list[Path]:
    """The portal's own English catalogues: the project's and each app's (never those under .venv)."""
    found = [ROOT / "locale" / language / "LC_MESSAGES" / "django.po"]
    found += sorted(ROOT.glob(f"*/locale/{language}/LC_MESSAGES/django.po"))
    return [path for path in found if path.exists() and ".venv" not in path.parts]


def portal_entries(language: str = "en") -> list[tuple[Path, Entry]]:
    """Live entries (not obsolete, not the header) of the portal's catalogues."""
    return [
        (path, entry)
        for path in project_catalogues(language)
        for entry in parse(path)
        if not entry.obsolete and not entry.is_header
    ]

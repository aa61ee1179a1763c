"""Every user-facing string has a Traditional Chinese translation."""
import subprocess
import sys

from babel.messages.pofile import read_po

from tests.services import ROOT

CATALOGUE = f"{ROOT}/app/translations/zh_Hant/LC_MESSAGES/messages.po"


def extracted_messages(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "app"],
        cwd=ROOT, check=True, capture_output=True, timeout=120,
    )
    with open(pot, "rb") as handle:
        return read_po(handle)


def test_zh_hant_catalogue_translates_every_string(tmp_path):
    with open(CATALOGUE, "rb") as handle:
        catalogue = read_po(handle, locale="zh_Hant")
    missing = []
    for message in extracted_messages(tmp_path):
        if not message.id:
            continue
        translated = catalogue.get(message.id)
        strings = translated.string if translated else None
        if isinstance(strings, tuple):
            ok = translated is not None and all(strings) and not translated.fuzzy
        else:
            ok = translated is not None and bool(strings) and not translated.fuzzy
        if not ok:
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    assert missing == [], f"{len(missing)} strings lack a zh_Hant translation: {missing[:20]}"


def test_placeholders_survive_translation():
    import re

    with open(CATALOGUE, "rb") as handle:
        catalogue = read_po(handle, locale="zh_Hant")
    pattern = re.compile(r"%\((\w+)\)[sd]")
    for message in catalogue:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(pattern.findall(ids[-1]))
        for string in strings:
            assert set(pattern.findall(string)) == wanted, message.id

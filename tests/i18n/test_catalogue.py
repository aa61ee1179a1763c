"""Every user-facing string has a Traditional and a Simplified Chinese translation."""
import subprocess
import sys

import pytest

from babel.messages.pofile import read_po

from tests.services import ROOT

LOCALES = ["zh_Hant", "zh_Hans"]


def catalogue_path(locale):
    return f"{ROOT}/app/translations/{locale}/LC_MESSAGES/messages.po"


def read_catalogue(locale):
    with open(catalogue_path(locale), "rb") as handle:
        return read_po(handle, locale=locale)


def extracted_messages(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "app"],
        cwd=ROOT, check=True, capture_output=True, timeout=120,
    )
    with open(pot, "rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    return extracted_messages(tmp_path_factory.mktemp("pot"))


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_translates_every_string(extracted, locale):
    catalogue = read_catalogue(locale)
    missing = []
    for message in extracted:
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
    assert missing == [], f"{len(missing)} strings lack a {locale} translation: {missing[:20]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_survive_translation(locale):
    import re

    catalogue = read_catalogue(locale)
    pattern = re.compile(r"%\((\w+)\)[sd]")
    for message in catalogue:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(pattern.findall(ids[-1]))
        for string in strings:
            assert set(pattern.findall(string)) == wanted, message.id


# Taiwan and Hong Kong usage that a character-by-character conversion leaves behind, with what
# Mainland readers expect instead (the Simplified catalogue was reviewed against this list).
TAIWAN_USAGE = {
    "帐号": "账号", "帳號": "账号", "登入": "登录", "讯息": "信息/消息", "影片": "视频", "网路": "网络",
    "预设": "默认", "设定": "设置", "档案": "文件", "软体": "软件", "伺服器": "服务器", "权杖": "令牌",
    "使用者": "用户", "透过": "通过", "储存": "保存", "载入": "加载", "搜寻": "搜索", "连结": "链接",
    "汇出": "导出", "即时": "实时", "支援": "支持", "点子": "创意", "主持人": "版主", "检举": "举报",
    "重设": "重置", "收件匣": "收件箱", "身分": "身份", "纪录": "记录", "「": "“", "」": "”",
}
# Traditional characters that must never show in the Simplified catalogue.
TRADITIONAL_ONLY = set("們個會這說點號帳訊網設檔與為於關來時間對錯誤頁請輸選擇數據")


def test_simplified_catalogue_reads_as_mainland_chinese():
    found = []
    for message in read_catalogue("zh_Hans"):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            found += [(term, string) for term in TAIWAN_USAGE if term in string]
            found += [(char, string) for char in TRADITIONAL_ONLY if char in string]
    assert found == [], found[:20]


def test_both_chinese_catalogues_speak_their_own_script():
    """A mix-up of the two files (or a copy of one into the other) would pass the tests above."""
    hant, hans = read_catalogue("zh_Hant"), read_catalogue("zh_Hans")
    assert hant.get("Log out").string == "登出" and hans.get("Log out").string == "退出登录"
    assert hant.get("Settings").string != hans.get("Settings").string

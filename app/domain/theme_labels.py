"""A theme's automatic name: the real words its ideas share and the campaign's other ideas
do not, in English and in Chinese (a theme whose ideas are in both shows both).

English words are taken whole: "don't" or "add-ons" never become "don" or "ons"; a word
must be in an English word list (Webster's Second and GCIDE, from the ``english-words``
package, plus ``MODERN_WORDS`` such as "app" and "eSIM" that they predate), plurals
counted with their singular. Chinese is segmented with jieba's dictionary: text is folded
to Traditional (``text.fold_chinese``), read in Simplified character by character (the
dictionary's script; lengths stay the same) and cut into dictionary words only, which are
shown as written; a word never spans punctuation, and words that say little (哪裡, 唔使,
馬上, 可以, 客戶...) are left out. Pure: no database.
"""
import math
import os
import re
import threading
from collections import Counter

from app.domain.text import fold_chinese

LABEL_WORDS = 3
KEPT_WORDS = 6
# A word must be in at least this many of a theme's ideas to name it.
MIN_IDEAS = 2
# Ideas read per theme and for the whole campaign: enough to find the shared words, and
# the cost stays flat however big the campaign grows.
SAMPLE = 300

MODERN_WORDS = frozenset("""
app apps esim sim sms chatbot chatbots online offline website websites wifi qr atm atms kwh email
emails forklift forklifts callback callbacks login logins smartphone smartphones hotline hotlines
passkey passkeys fintech broadband signup cashback ebill ebills pdf ai iot api ev evs led leds
voicemail roaming outage outages ecommerce
""".split())
ENGLISH_STOP = frozenset("""
a about above after again all also am an and any are as at be because been before being below
between both but by can could did do does doing done down during each either else even ever every
few for from further get gets got had has have having he her here him his how i if in into is it
its just let like make makes many may me might more most much must my no nor not now of off often
on once one only or other our out over own per please put rather same she should so some such
than that the their them then there these they this those through to too under until up us very
via was we were what when where which while who whom why will with within without would yet you
your today new way ways help idea ideas use using used want need needs instead able already still
around always never customer customers people staff time day days week weeks month months year
years first last next make made take give given good better best easy lot lots thing things
don ons pre non
""".split())
CHINESE_STOP = frozenset("""
哪裡 唔使 馬上 可以 希望 應該 建議 我們 他們 你們 自己 不用 不必 需要 時候 現在 一個 每個 改成 直接
自動 主動 一直 比較 如果 這是 什麼 很多 常常 或者 以及 並且 同時 客戶 用戶 大家 一下 一些 這些 那些
已經 還是 就是 也是 不是 但是 因為 所以 然後 可能 目前 其實 真的 一定 不會 沒有 知道 覺得 問題 方式
提供 增加 加上 使用 進行 讓客 唔該 咁樣 點解 而家 即時 不要 一樣 出來 起來 時間 每天 每次 之前 之後
""".split())

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['’-][A-Za-z0-9]+)*")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_lock = threading.Lock()
_english = None
_segmenter = None
_to_simplified = None


def english_words() -> frozenset:
    """Every English word a label may show (lowercase)."""
    global _english
    if _english is None:
        from english_words import get_english_words_set

        with _lock:
            _english = frozenset(get_english_words_set(["web2", "gcide"], lower=True) | MODERN_WORDS)
    return _english


def _singular(word):
    words = english_words()
    for cut, add in (("ies", "y"), ("es", ""), ("s", "")):
        if word.endswith(cut) and len(word) > len(cut) + 2 and word[:-len(cut)] + add in words:
            return word[:-len(cut)] + add
    return word


def is_english_word(word: str) -> bool:
    """Whether a word (or each part of a hyphenated one) is in the English word list."""
    words = english_words()
    return all(part in words or _singular(part) in words
               for part in word.lower().replace("’", "'").split("-"))


def _load_segmenter():
    global _segmenter, _to_simplified
    import logging

    import jieba
    import opencc

    jieba.setLogLevel(logging.WARNING)

    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    table = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
    mapping = {}
    with open(table, encoding="utf-8") as lines:
        for line in lines:
            key, _, values = line.rstrip("\n").partition("\t")
            if len(key) == 1 and values:
                target = values.split(" ")[0]
                if len(target) == 1:
                    mapping[ord(key)] = target
    _to_simplified = mapping
    _segmenter = tokenizer


def simplified(text: str) -> str:
    """Traditional characters read as Simplified, one for one (the dictionary's script)."""
    if _segmenter is None:
        with _lock:
            if _segmenter is None:
                _load_segmenter()
    return text.translate(_to_simplified)


def is_chinese_word(word: str) -> bool:
    """Whether jieba's dictionary holds a word (read in Simplified)."""
    simplified(word)
    return _segmenter.FREQ.get(simplified(word), 0) > 0


def chinese_words(text: str) -> list:
    """The dictionary words of two characters or more in a text's Chinese runs, as written
    (folded to Traditional); runs end at punctuation, spaces and Latin letters."""
    words = []
    for run in _CJK.findall(fold_chinese(text or "")):
        if len(run) < 2:
            continue
        position = 0
        for piece in _segmenter_cut(simplified(run)):
            word = run[position:position + len(piece)]
            position += len(piece)
            if len(word) >= 2 and word not in CHINESE_STOP and _segmenter.FREQ.get(piece, 0) > 0:
                words.append(word)
    return words


def _segmenter_cut(text):
    return _segmenter.cut(text, HMM=False)


def english_terms(text: str) -> list:
    """(key, word as written) of the English words of a text worth naming a theme by."""
    terms = []
    for word in _WORD.findall(text or ""):
        lower = word.lower()
        if "'" in lower or "’" in lower or len(lower) < 3 or lower in ENGLISH_STOP:
            continue  # contractions ("don't") and short or common words
        if not is_english_word(lower):
            continue
        terms.append((_singular(lower), word if word.isupper() and len(word) <= 5 else lower))
    return terms


def _idea_words(text):
    """{key: (shown word, occurrences)} of one idea (its title counts twice)."""
    found = {}
    title, _, body = (text or "").partition("\n")
    for part, weight in ((title, 2), (body, 1)):
        for key, word in english_terms(part):
            shown, count = found.get(key, (word, 0))
            found[key] = (shown, count + weight)
        for word in chinese_words(part):
            shown, count = found.get(word, (word, 0))
            found[word] = (shown, count + weight)
    return found


def _sample(items, size=SAMPLE):
    items = list(items)
    if len(items) <= size:
        return items
    step = len(items) / size
    return [items[int(i * step)] for i in range(size)]


def name_themes(groups, texts, chinese):
    """(label, words) for each group of idea rows: ``texts`` are the ideas' "title\\nbody",
    ``chinese`` whether each is Chinese. A label has up to ``LABEL_WORDS`` words, joined
    by " · ", with one of each language when the theme holds both."""
    simplified("")  # load the dictionary once
    everything = Counter()
    campaign_rows = _sample(range(len(texts)), SAMPLE * 4)
    for row in campaign_rows:
        everything.update(_idea_words(texts[row]).keys())
    named = []
    for rows in groups:
        chosen = _sample(rows)
        ideas, occurrences, shown = Counter(), Counter(), {}
        for row in chosen:
            for key, (word, count) in _idea_words(texts[row]).items():
                ideas[key] += 1
                occurrences[key] += count
                shown.setdefault(key, Counter())[word] += count
        # Words most of the theme's ideas use and few of the campaign's: share x IDF. A
        # theme whose ideas share no word (a translation and its original) is named by
        # the telling words of each.
        ranked = []
        for needed in sorted({min(MIN_IDEAS, len(chosen)), 1}, reverse=True):
            weight = {key: ideas[key] / len(chosen)
                      * math.log((1 + len(campaign_rows)) / (1 + everything[key]))
                      for key in ideas if ideas[key] >= needed}
            ranked = sorted((key for key in weight if weight[key] > 0),
                            key=lambda key: (-weight[key], -occurrences[key], key))
            if ranked:
                break
        words = []
        for key in ranked:
            word = shown[key].most_common(1)[0][0]
            if any(word in other or other in word for other in words):
                continue
            words.append(word)
            if len(words) == KEPT_WORDS:
                break
        named.append((_label(words, {bool(chinese[row]) for row in rows}), words))
    return named


def _label(words, languages):
    label = words[:LABEL_WORDS]
    if len(languages) == 2:
        has = {bool(_CJK.search(word)) for word in label}
        if len(has) == 1:  # a theme in both languages shows both
            other = next((word for word in words[LABEL_WORDS:] if bool(_CJK.search(word)) not in has), None)
            if other is not None:
                label = label[:LABEL_WORDS - 1] + [other]
    return " · ".join(label)[:200]

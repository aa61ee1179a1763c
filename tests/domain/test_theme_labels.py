"""Theme names are real words: Chinese segmented with jieba's dictionary, English whole."""
from app.domain import theme_labels


def test_chinese_words_are_dictionary_words_that_never_span_punctuation():
    words = theme_labels.chinese_words("帳單·成手機格式；人員安全訓練，候用。")
    assert "帳單" in words and "安全" in words and "訓練" in words
    assert not any("·" in word or "；" in word for word in words)
    assert "成手" not in words and "人安全訓" not in words and "候用" not in words
    assert all(theme_labels.is_chinese_word(word) for word in words)


def test_simplified_text_is_named_in_traditional_words():
    assert theme_labels.chinese_words("空压机换成变频的")[:1] == ["空壓機"]


def test_words_that_say_little_are_left_out():
    words = theme_labels.chinese_words("哪裡都可以，唔使排隊，馬上開通門號")
    assert not {"哪裡", "唔使", "馬上", "可以"} & set(words)
    assert "開通" in words


def test_english_words_are_whole():
    shown = [word for _key, word in theme_labels.english_terms(
        "Don't pre-pay add-ons; forklifts and the eSIM app charges")]
    assert "don" not in shown and "pre" not in shown and "pre-pay" not in shown
    assert {"add-ons", "forklifts", "esim", "app", "charges"} <= set(shown)
    assert all(theme_labels.is_english_word(word) for word in shown)


def test_a_theme_in_both_languages_is_named_in_both():
    texts = ["Roaming day pass abroad\nOne roaming price per day.",
             "Flat roaming day pass\nRoaming abroad at one daily price.",
             "出國漫遊日租吃到飽\n漫遊一天一個價格。",
             "漫遊日租單一價格\n出國漫遊固定價格。",
             "Fibre installation booking\nPick a slot.",
             "光纖安裝預約\n選時段。"]
    (label, words), = theme_labels.name_themes([[0, 1, 2, 3]], texts, [False, False, True, True, False, True])
    assert "漫遊" in label and "roaming" in label

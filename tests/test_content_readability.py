"""The plain-French measure: words per sentence, long sentences."""

from app.content.readability import measure, sentences_of


def test_headings_and_list_items_are_sentences_and_markup_is_not_counted():
    text = "## À retenir\n\n- Un point court.\n- [x] Une réponse.\n1. Ouvrez [le site](https://a.fr).\n![image](a.svg)"
    assert sentences_of(text) == ["À retenir", "Un point court.", "Une réponse.", "Ouvrez le site."]


def test_average_and_long_sentences():
    long_sentence = " ".join(["mot"] * 21) + "."
    figures = measure(f"Trois mots ici. Deux mots!\n{long_sentence}")
    assert figures.sentences == 3
    assert figures.words == 3 + 2 + 21
    assert round(figures.average, 2) == round(26 / 3, 2)
    assert figures.long_sentences == (long_sentence,)


def test_elided_words_and_punctuation_count_as_expected():
    figures = measure("L'Assurance maladie ne demande jamais d'argent : jamais !")
    assert figures.words == 7
    assert figures.sentences == 1

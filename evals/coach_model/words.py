"""The coaching corpus's words that the adapter's replies may use whatever the mentee said.

``python -m evals.coach_model words`` counts, on the train split, in how many conversations the
coach uses each word, and keeps the words used in at least ``k`` of them, less facts (amounts,
days, words with a digit), names (words the coach capitalises in mid-sentence) and "I" and
"we" (``knowledge/reply_words.yaml``): those reach a reply only from the mentee. ``k`` is chosen
on the dev split: the largest that still lets the corpus's own coach write at least
``MIN_DEV_COVERAGE`` of its words there, counting the words its mentee had written by then.
The question's words are those the guard also accepts. Written to
``coach/providers/adapter/words.json``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from coach.guard.grounding import Grounding
from coach.knowledge import reply_words
from coach.providers.word_grammar import WORDS_FILE, reply_tokens
from evals.coach_model.corpus import Conversation, corpus_digest, load_corpus, of_split

THRESHOLDS = (1, 2, 3, 5, 8)
MIN_DEV_COVERAGE = 0.97
NAME_SHARE = 0.5  # capitalised in mid-sentence at least this often: a name
_SENTENCE_START = re.compile(r"(^|[.?!]\s+|[\"“]\s*)$")


def family_counts(conversations: Sequence[Conversation]) -> Counter[str]:
    """In how many conversations the coach uses each word."""
    counts: Counter[str] = Counter()
    for conversation in conversations:
        used = {w for turn in conversation.coach_turns for w in reply_tokens(turn.text)}
        counts.update(used)
    return counts


def names(conversations: Sequence[Conversation]) -> set[str]:
    """Words the coach writes with a capital in mid-sentence at least half the time."""
    capital: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for conversation in conversations:
        for turn in conversation.coach_turns:
            for match in re.finditer(r"[A-Za-z][A-Za-z'’-]*", turn.text):
                if _SENTENCE_START.search(turn.text[: match.start()]):
                    continue
                word = reply_tokens(match.group())
                if word:
                    seen[word[0]] += 1
                    capital[word[0]] += match.group()[0].isupper()
    return {w for w, n in seen.items() if capital[w] / n >= NAME_SHARE}


def excluded(word: str) -> bool:
    """A fact or "I" and "we": a word a reply takes only from the mentee."""
    lists = reply_words()
    facts = set(lists.facts) | {form for fact in lists.facts for form in _number_forms(fact)}
    parts = word.split("-")
    return any(c.isdigit() for c in word) or any(
        part in facts or part in lists.first_person for part in parts
    )


def _number_forms(word: str) -> set[str]:
    """Plurals, ordinals and decades of a number word ("fourteenth", "eighties", "twentieth")."""
    forms = {word + "s", word + "th", word + "ths"}
    if word.endswith("y"):
        forms |= {word[:-1] + "ies", word[:-1] + "ieth", word[:-1] + "ieths"}
    return forms


def vocabulary(counts: Counter[str], k: int, named: set[str]) -> set[str]:
    return {w for w, n in counts.items() if n >= k and w not in named and not excluded(w)}


def dev_coverage(conversations: Sequence[Conversation], allowed: set[str]) -> float:
    """Share of the coach's words in ``conversations`` that ``allowed`` and what the mentee
    had written by then together hold."""
    held = total = 0
    for conversation in conversations:
        said: set[str] = set()
        for turn in conversation.turns:
            tokens = reply_tokens(turn.text)
            if turn.role == "mentee":
                said.update(tokens)
                continue
            total += len(tokens)
            held += sum(1 for w in tokens if w in allowed or (w in said and not excluded_person(w)))
    return held / total if total else 0.0


def excluded_person(word: str) -> bool:
    return word in reply_words().first_person


def build(corpus: Sequence[Conversation]) -> dict[str, object]:
    train, dev = of_split(corpus, "train"), of_split(corpus, "dev")
    counts, named = family_counts(train), names(train)
    coverage = {k: dev_coverage(dev, vocabulary(counts, k, named)) for k in THRESHOLDS}
    chosen = max((k for k in THRESHOLDS if coverage[k] >= MIN_DEV_COVERAGE), default=1)
    reflection = vocabulary(counts, chosen, named)
    guard = Grounding(frozenset())
    question = {w for w in reflection if not guard.strays(w)}
    return {
        "corpus": corpus_digest(),
        "train_conversations": len(train),
        "min_conversations": chosen,
        "dev_coverage": {str(k): round(v, 4) for k, v in coverage.items()},
        "names_left_out": len(named),
        "reflection": sorted(reflection),
        "question": sorted(question),
    }


def main(out: Path = WORDS_FILE) -> None:
    built = build(load_corpus())
    out.write_text(json.dumps(built, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"words used by the coach in at least {built['min_conversations']} train conversations; "
        f"dev coverage by threshold {built['dev_coverage']}; written to {out}"
    )


if __name__ == "__main__":
    main()

"""Every prompt template renders, and the data files load."""

import re

import pytest

from coach.knowledge import guard_lexicon, stage_book
from coach.prompts import load_examples, load_grammar, load_template, render, template_names


def test_the_templates_exist() -> None:
    assert {"coach_system", "repair", "opening", "crisis"} <= set(template_names())


@pytest.mark.parametrize("name", template_names())
def test_every_template_renders_with_its_inputs(name: str) -> None:
    template = load_template(name)
    values = {variable: f"<{variable}>" for variable in template.input_variables}
    text = render(name, **values)
    assert text.strip()
    for variable in template.input_variables:
        assert f"<{variable}>" in text
    assert not re.search(r"\{[a-z_]+\}", text), "a placeholder was left unfilled"


def test_examples_show_one_open_question_each() -> None:
    from coach.guard import check_reply

    for example in load_examples():
        assert check_reply(example.coach).passed, example.coach


def test_stages_run_in_coaching_order_with_stems() -> None:
    book = stage_book()
    assert [stage.id for stage in book.stages] == ["dilemma", "reality", "options", "commitment"]
    for stage in book.stages:
        assert stage.plain_stems and stage.quoting_stems


def test_every_stem_passes_the_guard() -> None:
    from coach.guard import check_reply

    for stage in stage_book().stages:
        for stem in stage.plain_stems:
            assert check_reply(stem).passed, stem
        for stem in stage.quoting_stems:
            question = stem.format(quote="talk to my manager on Friday")
            assert check_reply(question).passed, question
    assert check_reply(stage_book().last_resort).passed


def test_grammar_and_lexicon_load() -> None:
    assert "root" in load_grammar()
    assert guard_lexicon().max_words > 10

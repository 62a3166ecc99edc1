"""Clear crises learned after everyday talk: each clear crisis without context gets one copy
read after a coaching session's messages; nothing else changes, and the recipe that asks for it
keeps checkpoints of its own."""

from __future__ import annotations

from evals.safety.augment import everyday_contexts, with_everyday_context
from evals.safety.corpus import COACHING_TALK, Example
from evals.safety.finetune import ANCHORED, DISTILLED, IN_CONTEXT, RECIPE, RECIPES


def example(text: str, level: str, context: tuple[str, ...] = (), source: str = "x") -> Example:
    return Example(
        family=text,
        text=text,
        context=context,
        level=level,  # type: ignore[arg-type]
        category=None if level == "none" else "suicide",
        source=source,
        style=COACHING_TALK if source == COACHING_TALK else "direct",
    )


SESSION = [
    example("rota's a mess again", "none", (), COACHING_TALK),
    example("thursday works", "none", ("rota's a mess again",), COACHING_TALK),
]
TRAIN = [
    *SESSION,
    example("i'm going to take all my pills tonight", "crisis"),
    example("i just want to disappear", "check_in"),
    example("it's tonight, the rope's in the shed", "crisis", ("I've said goodbye",)),
    example("shoot me now, the deadline moved", "none"),
]


def test_each_clear_crisis_without_context_is_also_read_after_everyday_talk() -> None:
    grown = with_everyday_context(TRAIN, seed=1)
    assert grown[: len(TRAIN)] == TRAIN
    copies = grown[len(TRAIN) :]
    assert [c.text for c in copies] == ["i'm going to take all my pills tonight"]
    assert copies[0].level == "crisis" and copies[0].family == TRAIN[2].family
    session_so_far = {("rota's a mess again",), ("rota's a mess again", "thursday works")}
    assert copies[0].context in session_so_far


def test_the_copies_are_the_same_for_the_same_seed_and_need_coaching_talk() -> None:
    assert with_everyday_context(TRAIN, seed=7) == with_everyday_context(TRAIN, seed=7)
    assert with_everyday_context(TRAIN[2:], seed=7) == TRAIN[2:]


def test_a_context_is_the_session_so_far_up_to_its_last_three_messages() -> None:
    said = ["one", "two", "three", "four"]
    session = [
        example(text, "none", tuple(said[max(0, i - 3) : i]), COACHING_TALK)
        for i, text in enumerate(said)
    ]
    assert everyday_contexts([*session, TRAIN[2]]) == [
        ("one",),
        ("one", "two"),
        ("one", "two", "three"),
        ("two", "three", "four"),
    ]


def test_the_recipe_that_copies_keeps_its_own_checkpoints() -> None:
    """The earlier recipes' checkpoint names are unchanged, so their runs still resume."""
    assert IN_CONTEXT.crisis_in_context and not RECIPE.crisis_in_context
    assert RECIPE.key == "0-6-4-16-0.0001-0.0"
    assert DISTILLED.key == "0-3-4-16-0.0001-0.0-0.5-2.0"
    assert ANCHORED.key == "0-6-3-16-0.0001-0.0-0.5-2.0"
    assert IN_CONTEXT.key == "0-6-4-16-0.0001-0.0-in-context"
    assert len({recipe.key for recipe in RECIPES.values()}) == len(RECIPES)

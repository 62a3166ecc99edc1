"""Teaching a smaller screen: the teacher's probabilities softened without changing its choice,
and a student that starts from the teacher's own lowest layers and heads."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from evals.safety.finetune import ANCHORED, DISTILLED, RECIPE, RECIPES, Recipe, soft_targets

torch = pytest.importorskip("torch")


def test_softening_keeps_the_teachers_choice_and_spreads_its_certainty() -> None:
    teacher = np.array([[0.96, 0.03, 0.01], [0.10, 0.20, 0.70], [1.0, 0.0, 0.0]])
    soft = soft_targets(teacher, temperature=2.0)
    assert np.allclose(soft.sum(axis=1), 1.0)
    assert (soft.argmax(axis=1) == teacher.argmax(axis=1)).all()
    assert soft[0, 0] < teacher[0, 0] and soft[0, 2] > teacher[0, 2]
    assert np.isfinite(soft).all()  # a zero probability does not break the logarithm
    assert np.allclose(soft_targets(teacher[:2], temperature=1.0), teacher[:2])


def test_the_taught_recipes_learn_from_both_the_teacher_and_the_labels() -> None:
    assert DISTILLED.layers < RECIPE.layers and 0 < DISTILLED.distil < 1
    assert ANCHORED.layers == RECIPE.layers and 0 < ANCHORED.distil < 1
    assert RECIPE.distil == 0  # the default recipe learns from the labels alone
    assert len({recipe.key for recipe in RECIPES.values()}) == len(RECIPES)  # checkpoints never mix


def test_a_student_starts_from_the_teachers_lowest_layers_and_heads(tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    from coach.safety.network import build, save_delta
    from evals.safety.finetune import Teacher, start_from

    teacher = build(None, frozen_layers=0, layers=6)
    with torch.no_grad():
        teacher.level.bias.fill_(0.25)
        teacher.bert.encoder.layer[2].output.dense.bias.fill_(0.5)
    weights = tmp_path / "teacher.safetensors"
    save_delta(teacher, weights)

    student = build(None, frozen_layers=0, layers=3)
    start_from(student, Teacher(weights, frozen_layers=0, layers=6))
    assert torch.allclose(student.level.bias, torch.full((3,), 0.25), atol=1e-2)
    bias = student.bert.encoder.layer[2].output.dense.bias
    assert torch.allclose(bias, torch.full_like(bias, 0.5), atol=1e-2)


def test_a_teacher_that_cannot_start_the_student_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    from coach.safety.network import build, save_delta
    from evals.safety.finetune import Teacher, start_from

    small = tmp_path / "three-layers.safetensors"
    save_delta(build(None, frozen_layers=0, layers=3), small)
    with pytest.raises(ValueError, match="cannot start from a teacher of 3"):
        start_from(build(None, frozen_layers=0, layers=6), Teacher(small, 0, 3))
    # a file that claims six layers but holds three lacks the student's upper layers
    with pytest.raises(ValueError, match="lacks"):
        start_from(build(None, frozen_layers=0, layers=6), Teacher(small, 0, 6))


def test_a_taught_recipe_without_a_teacher_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    from evals.safety.finetune import finetune

    with pytest.raises(ValueError, match="teacher"):
        finetune([], tmp_path, seed=1, recipe=Recipe(layers=3, distil=0.5))


def test_checkpoints_of_the_untaught_recipe_keep_their_name() -> None:
    # the distillation fields join the name only when a recipe is taught
    assert RECIPE.key == "0-6-4-16-0.0001-0.0"
    assert ANCHORED.key.endswith("-0.5-2.0")

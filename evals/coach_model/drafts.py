"""Draft coach turns with the embedded model on a split's conversations, each after the
conversation as written up to the mentee's message, and judge them with the guard.

``COACH_ADAPTER=on python -m evals.coach_model.drafts dev`` prints how often a draft passes the
guard (with and without the check that a small model's questions keep to the mentee's words),
how many carry a reflection, and a sample of drafts beside the corpus's own turns. Without
``COACH_ADAPTER`` it drafts with the base model on its few-shot prompt; a third argument sets
the adapter's repeat penalty.
"""

from __future__ import annotations

import random
import sys
from collections import Counter

from coach.guard import Grounding, GuardContext, check_reply, count_advice_requests
from coach.providers.local import LocalProvider
from coach.session.prompting import turn_messages
from evals.coach_model.corpus import load_corpus, of_split, reflection_of

SAMPLE = 12


def main(split: str, limit: int) -> None:
    provider = LocalProvider(threads=2)
    conversations = of_split(load_corpus(), split)  # type: ignore[arg-type]
    verdicts: Counter[str] = Counter()
    samples = []
    try:
        for conversation in conversations:
            records = conversation.records()
            for index, turn in enumerate(conversation.turns):
                if turn.role != "coach" or turn.source or index == 0:
                    continue
                before = records[:index]
                said = [r.text for r in before if r.role == "mentee"]
                asked = [r.text for r in before if r.role == "coach"]
                messages = turn_messages(provider, records[index].stage, before, 4000)
                draft = "".join(provider.stream(messages)).strip()
                plain = GuardContext(earlier=asked, advice_requests=count_advice_requests(said))
                grounded = GuardContext(
                    earlier=asked,
                    advice_requests=plain.advice_requests,
                    grounding=Grounding.from_messages(said),
                )
                verdicts["drafts"] += 1
                verdicts["pass"] += check_reply(draft, plain).passed
                verdicts["pass_grounded"] += check_reply(draft, grounded).passed
                verdicts["reflection"] += bool(reflection_of(draft))
                samples.append((said[-1], draft, turn.text))
                if verdicts["drafts"] >= limit:
                    raise StopIteration
    except StopIteration:
        pass
    finally:
        provider.close()
    n = verdicts["drafts"]
    if not n:
        raise SystemExit(f"no coach turns to draft in the {split} split")
    print(f"{provider.describe()}: {n} drafts on {split}")
    for name in ("pass", "pass_grounded", "reflection"):
        print(f"  {name}: {verdicts[name] / n:.1%}")
    for mentee, draft, written in random.Random(1).sample(samples, min(SAMPLE, len(samples))):
        print(f"\nmentee: {mentee}\ndraft:  {draft}\ncorpus: {written}")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if len(arguments) > 2:
        from coach.providers import local

        local.ADAPTER_SAMPLING["repeat_penalty"] = float(arguments[2])
    main(arguments[0] if arguments else "dev", int(arguments[1]) if len(arguments) > 1 else 120)

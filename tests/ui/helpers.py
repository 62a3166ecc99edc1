"""Reading pages the way a person sees them."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

UI = Path(__file__).parents[2] / "ui"
_ESCAPE = re.compile(r"\\(.)")


def seen(markdown: str) -> str:
    """Markdown as it reads on screen: escapes removed, hard line breaks as plain ones."""
    return _ESCAPE.sub(r"\1", markdown.replace("  \n", "\n"))


def opened(path: str, **state: object) -> AppTest:
    """A page run once, with ``state`` in its session, that raised nothing."""
    app = AppTest.from_file(str(UI / path), default_timeout=60)
    for key, value in state.items():
        app.session_state[key] = value
    app.run()
    assert not app.exception, app.exception
    return app


def click(app: AppTest, label: str, *, sidebar: bool = False) -> AppTest:
    """Press the button labelled ``label`` and rerun; the page must not raise."""
    buttons = app.sidebar.button if sidebar else app.button
    next(b for b in buttons if b.label == label).click().run()
    assert not app.exception, app.exception
    return app


def chat_texts(app: AppTest) -> list[str]:
    return [seen(message.markdown[0].value) for message in app.chat_message if message.markdown]

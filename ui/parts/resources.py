"""Resources loaded once per server process and shared by every browser session."""

from __future__ import annotations

import streamlit as st

from coach.memory import NoteStore, get_embedder
from coach.providers import ChatProvider, get_provider
from coach.settings import Settings


@st.cache_resource(show_spinner=False)
def _note_store(_settings: Settings, where: str) -> NoteStore:
    return NoteStore.open(_settings, get_embedder(_settings))


def load_provider(settings: Settings) -> ChatProvider:
    """The chat model, loaded once per process and configuration (with a spinner the first time)."""
    with st.spinner("Loading the model..."):
        return get_provider(settings)


def open_note_store(settings: Settings) -> NoteStore:
    """The note store every profile shares (notes are scoped by profile inside it)."""
    where = (settings.data_dir, settings.chroma_url, settings.embedder, settings.embedding_model)
    return _note_store(settings, repr(where))

"""Memory: notes and commitments in Chroma, and what the coach recalls from them."""

from coach.memory.embedders import Embedder, LocalEmbedder, get_embedder
from coach.memory.store import MemoryUnavailable, NoteHit, NoteStore

__all__ = ["Embedder", "LocalEmbedder", "MemoryUnavailable", "NoteHit", "NoteStore", "get_embedder"]

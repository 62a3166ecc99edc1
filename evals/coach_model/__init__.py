"""The embedded model's coaching adapter: its corpus, training and conversion."""

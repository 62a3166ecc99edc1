"""The safety corpus: labelled messages written by the project, split by family."""

"""The BatchNorm page: keep or drop a tiny last batch, and how batch statistics spread."""

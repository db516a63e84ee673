"""The trade-offs page: the sweep over batch sizes, the seed experiment, the claims' verdicts."""

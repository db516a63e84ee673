"""The DataLoader-exact trainer: a run's settings, sample order and records, the epoch loop, ``fit``."""

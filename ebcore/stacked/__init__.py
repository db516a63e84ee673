"""``fit_many``: K runs trained as one stacked network, each equal to its own ``fit`` bit for bit."""

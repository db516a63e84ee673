"""Each training page's experiment, built on ``fit`` and ``fit_many``, and its runs as CSV rows."""

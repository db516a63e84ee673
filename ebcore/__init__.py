"""Epoch & Batch Lab core: pure Python/PyTorch, never imports Streamlit.

- ``calc``, ``frameworks``, ``strip``, ``keraslog``, ``examples``: the batch calculator and its
  pictures (iterations per epoch, last batch, framework semantics, Keras's progress line).
- ``train``, ``data``, ``models``: a DataLoader-exact PyTorch trainer, seeded data and models.
- ``exam``, ``tradeoffs`` (+ ``tradeoffs_guides``), ``batchnorm``, ``overfit``: the experiments
  behind the training pages.
"""

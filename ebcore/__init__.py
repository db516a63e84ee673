"""Epoch & Batch Lab core: pure Python/PyTorch, never imports Streamlit.

Layers, each depending only on the ones above it in this list:

- ``primitives``: the batch calculator and its pictures (iterations per epoch, the last batch, the
  framework translator, the epoch strip, Keras's progress line, the notes' examples); no torch.
- ``problems``: the seeded data sets and models the lessons train.
- ``trainer``: what decides a run (``config``), the DataLoader's sample order (``order``), what a run
  records (``records``), Keras's early stopping (``stopping``), the one epoch loop (``loop``) and
  ``fit``, with its fast single-run path in ``trainer.fast``.
- ``stacked``: ``fit_many``, K runs as one stacked program, each equal to its ``fit`` bit for bit.
- ``lessons``: each training page's experiment (``exam``, ``tradeoffs``, ``critical``, ``batchnorm``,
  ``epochs``) and their runs as CSV rows (``tables``).
- ``startup``: torch's one-off first-use costs, paid before a student waits for them.
"""

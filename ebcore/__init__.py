"""Epoch & Batch Lab core: pure Python/PyTorch, never imports Streamlit.

Modules:
- ``calc``: the batch calculator (iterations per epoch, last batch, framework semantics).
- ``train``: a DataLoader-exact PyTorch trainer, observable step by step.
"""

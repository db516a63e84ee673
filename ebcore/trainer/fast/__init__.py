"""``fit``'s fast single-run path: the same bits as autograd and ``torch.optim``, with less overhead."""

"""The critical-batch page: steps to a target per batch size, the S_min/E_min fit, the noise scale."""

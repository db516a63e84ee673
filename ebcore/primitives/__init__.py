"""The batch calculator and what it draws and translates: plain arithmetic, no torch."""

"""The seeded data sets and models the lessons train (every draw from an explicit generator)."""

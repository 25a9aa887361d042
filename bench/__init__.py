"""Benchmarks run by `make bench`: figures are printed (with the machine noted), never asserted."""

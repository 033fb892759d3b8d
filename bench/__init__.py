"""Benchmarks: generate data at scale, drive load at the app and its floor, report."""

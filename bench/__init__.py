"""Benchmarks: scripts that print figures (not tests, not CI), and the synthetic corpus.

The scripts run from the project's root (``.venv/bin/python bench/<script>.py``);
bench/README.md says what each measures and how to run it. A package so that the
scripts share ``bench.common`` and the tests in ``bench/tests/`` import
``bench.corpus`` by one name.
"""

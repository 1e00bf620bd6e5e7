"""The task-agnostic core: parsing, reward specs, the task-family contract and its registry.

Everything under ``core`` imports only the standard library, pydantic and :mod:`schemas`, so the
reward hot path stays light (no sympy, pint, numpy, pandas, torch or transformers).
"""

"""AutoGraph-lite (placeholder; see convert)."""


def convert(fn):
    return fn

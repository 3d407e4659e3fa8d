"""Keras training: ``Trainer`` (compile/fit/evaluate/predict) and data adapters."""

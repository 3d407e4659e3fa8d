class TensorBoard:  # placeholder until written
    pass

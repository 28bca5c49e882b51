"""lenet-digits: lenet on digits, trained with PaddlePaddle."""

import os
import warnings

# paddle sets OMP_NUM_THREADS=1 at import when it is unset: keep what the user asked for
# (trainer.py: select_device).
OMP_NUM_THREADS = os.environ.get("OMP_NUM_THREADS")
# paddle warns at import that ccache (for building C++ extensions) is missing: unused here.
warnings.filterwarnings("ignore", message="No ccache found")
# paddle.Model re-wraps each batch tensor and warns that it copies one: harmless.
warnings.filterwarnings("ignore", message="To copy construct from a tensor")
# paddle's batch norm warns at every training step that it tracks running statistics,
# which it always did: nothing to act on.
warnings.filterwarnings("ignore", message="When training, we now always track global")

BACKEND = "paddle"  # which twin this is: the few rules that differ read it

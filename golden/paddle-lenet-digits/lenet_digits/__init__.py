"""lenet-digits: lenet on digits, trained with PaddlePaddle."""

import os
import warnings

# Set before paddle loads. Its CPU kernels run one OpenMP thread unless told otherwise;
# every core the process may use doubles resnet18's training speed on 2 cores.
os.environ.setdefault("OMP_NUM_THREADS", str(len(os.sched_getaffinity(0))))
# paddle warns at import that ccache (for building C++ extensions) is missing: unused here.
warnings.filterwarnings("ignore", message="No ccache found")

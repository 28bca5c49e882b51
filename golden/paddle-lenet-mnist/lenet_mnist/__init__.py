"""lenet-mnist: lenet on mnist, trained with PaddlePaddle."""

import warnings

# paddle warns at import that ccache (for building C++ extensions) is missing: unused here.
warnings.filterwarnings("ignore", message="No ccache found")

#!/usr/bin/env bash
# The standing GPU check (BENCHMARKS.md, "Next GPU check"), prepared here and run on a lent
# GPU machine in one call, so that a session's few device minutes go to measuring.
#
#   bash bench/gpu_check.sh prepare   # here: render the projects into .gl/, wheels into .whl/
#   bash bench/gpu_check.sh run       # on the device: the run tool, carry [".gl", ".whl"],
#                                     # timeout_s 470 (the two benches stop by 230 + 220 s)
#
# The device's image brings its own torch and Lightning; what the emitted projects need
# beyond them (omegaconf, ...) is installed from .whl/ without the network, into
# /tmp/site, only where the image lacks it. Figures land in $OUT (the run tool's folder).
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
prepare)
    rm -rf .gl .whl
    gen new --spec golden/specs/lightning-resnet18-cifar10.yaml --out .gl/resnet18-cifar10
    gen new --model resnet50 --data imagefolder --out .gl/resnet50-imagefolder
    for python in 3.11 3.12 3.13; do # the device image's Python is not known here
        pip download -q --no-deps --only-binary=:all: --python-version "$python" \
            -d .whl omegaconf==2.4.0 PyYAML==6.0.3 torchmetrics==1.9.0 \
            lightning-utilities==0.15.3 safetensors==0.8.0
    done
    du -sh .gl .whl
    ;;
run)
    out="${OUT:-/tmp/gpu_check}"
    mkdir -p "$out" /tmp/site
    missing=$(python3 - <<'EOF'
import importlib.util
wanted = {"omegaconf": "omegaconf", "yaml": "PyYAML", "torchmetrics": "torchmetrics",
          "lightning_utilities": "lightning-utilities", "safetensors": "safetensors"}
print(" ".join(p for m, p in wanted.items() if importlib.util.find_spec(m) is None))
EOF
)
    if [ -n "$missing" ]; then
        # shellcheck disable=SC2086  # one word per package
        pip install -q --no-index --no-deps --find-links .whl --target /tmp/site $missing
    fi
    export PYTHONPATH="/tmp/site:$PWD"
    { nvidia-smi -L || true; python3 -c "import torch, pytorch_lightning as pl; print('torch', torch.__version__, 'lightning', pl.__version__)"; } 2>&1 | tee "$out/machine.txt"
    timeout 230 python3 -m bench stream --project .gl/resnet50-imagefolder \
        --images 10000 --epochs 3 2>&1 | tee "$out/stream.txt" || true
    timeout 220 python3 -m bench gpu --project .gl/resnet18-cifar10 --epochs 3 \
        --batches 512,128 2>&1 | tee "$out/gpu.txt" || true
    ;;
*)
    echo "usage: bash bench/gpu_check.sh prepare|run" >&2
    exit 2
    ;;
esac

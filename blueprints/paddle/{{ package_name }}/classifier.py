"""The paddle.Model of a run: the network behind its input pipeline, prepared with
cross-entropy, top-1/top-5 accuracy, the optimizer and mixed precision."""

import paddle
from omegaconf import OmegaConf

from .callbacks.metrics import SourceAccuracy
from .data.mixing import MixedAccuracy, MixedCrossEntropy
from .data.registry import described
from .data.transforms import InputPipeline
from .lean_step import lean
from .models import build_model


def build_classifier(config: dict, data: dict) -> paddle.Model:
    """`config`: the run's whole config; `data`: channels, image_size, class_names."""
    cfg = OmegaConf.create(config)
    num_classes = len(data["class_names"])
    network = build_model(cfg.model, data["channels"], num_classes, data["image_size"])
    info = described(cfg.data.name, data)  # the normalisation it was trained with
    model = lean(paddle.Model(InputPipeline(network, info, cfg.data)))
    model.config, model.data = config, data  # kept in checkpoints, for eval and predict
    return model


def metrics_for(num_classes: int, sources: list[str]) -> list:
    """Logged as acc_top1 and acc_top5, or as acc alone below 5 classes; a mix adds
    acc/<source> for each of its sources."""
    accuracy = MixedAccuracy(topk=(1, 5) if num_classes >= 5 else (1,))
    return [accuracy, SourceAccuracy(sources)] if sources else [accuracy]


def prepare(model: paddle.Model, optimizer=None, amp_configs=None) -> None:
    """Loss and metrics (and, to train, the optimizer and precision) for fit/evaluate."""
    model.prepare(
        optimizer,
        MixedCrossEntropy(),  # soft labels for mixed batches
        metrics_for(len(model.data["class_names"]), model.data.get("sources", [])),
        amp_configs=amp_configs,
    )

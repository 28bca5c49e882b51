"""The hand-written PyTorch loop that an emitted yolov5n/digit_canvas project's training
is measured against (issue 10: per-step time within 1.15x).

The same work as `python train.py` there, read from that run's config.yaml: the same
network, loss, box decoding and batches (imported from the project, YOLOv5 through its
adapter: the loop is what is measured, not the model), AdamW + one-cycle per step, shuffled batches, validation with
COCO mAP (torchmetrics, pycocotools) after every epoch; no Lightning, no logs, no
checkpoints. Usage (in the project, after a run):
python hand_loop_yolo.py RUN_DIR  (prints JSON: per-epoch seconds, steps, val mAP50)
"""

import json
import sys
import time
from importlib import import_module
from pathlib import Path

import torch
import yaml
from omegaconf import OmegaConf
from pycocotools.cocoeval import Params
from torchmetrics.detection import MeanAveragePrecision


def main(run_dir: Path) -> dict:
    sys.path.insert(0, str(Path.cwd()))  # run in the project: its package is importable
    (detector,) = Path.cwd().glob("*/detector.py")
    name = detector.parent.name

    def of(module: str):
        return import_module(f"{name}.{module}")

    cfg = yaml.safe_load((run_dir / "config.yaml").read_text())
    data_cfg, trainer = cfg["data"], cfg["trainer"]
    coco_sets = of("data.coco_sets")
    boxes = of("data.detection_data")
    models = of("models")
    normalize = of("data.normalize").normalize
    channel_stats = of("data.image_stats").channel_stats

    arrays = coco_sets.load_coco(OmegaConf.create(data_cfg), "boxes")
    train = boxes.BoxBatches(*arrays.splits["train"], None)  # data.augment: none
    val = boxes.BoxBatches(*arrays.splits["val"], None)
    mean, std = channel_stats(arrays.splits["train"][0])
    torch.manual_seed(cfg["seed"])
    model_cfg = OmegaConf.create(cfg["model"])
    net = models.build_model(
        model_cfg, data_cfg["channels"], len(arrays.class_names), data_cfg["image_size"]
    )
    adapter = models.build_adapter(model_cfg, net)  # YOLOv5's loss and decoding
    batch, epochs = data_cfg["batch_size"], trainer["max_epochs"]
    per_epoch = -(-len(train) // batch)
    if trainer.get("limit_train_batches") not in (None, 1.0):
        per_epoch = min(per_epoch, int(trainer["limit_train_batches"]))
    opt = cfg["optimizer"]
    optimizer = torch.optim.AdamW(
        net.parameters(),
        lr=opt["lr"],
        betas=tuple(opt["betas"]),
        weight_decay=opt["weight_decay"],
    )
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer,
        max_lr=opt["lr"],
        total_steps=epochs * per_epoch,
        pct_start=cfg["scheduler"]["pct_start"],
    )
    coco = Params(iouType="bbox")  # COCO's own thresholds, as the emitted detector's
    scores = MeanAveragePrecision(
        backend="pycocotools",
        class_metrics=True,
        iou_thresholds=coco.iouThrs.tolist(),
        rec_thresholds=coco.recThrs.tolist(),
    )
    seconds, train_seconds, map50 = [], [], 0.0
    for epoch in range(epochs):
        started = time.perf_counter()
        net.train()
        order = torch.randperm(
            len(train), generator=torch.Generator().manual_seed(cfg["seed"] + epoch)
        )
        for step in range(per_epoch):
            images, targets = train.__getitems__(
                order[step * batch : (step + 1) * batch].tolist()
            )
            loss = adapter.train_loss(normalize(images, mean, std), targets)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
        train_seconds.append(time.perf_counter() - started)
        net.eval()
        with torch.no_grad():
            for start in range(0, len(val), batch):
                images, targets = val.__getitems__(
                    list(range(start, min(start + batch, len(val))))
                )
                # the loss too: the emitted validation logs val/loss
                _, found = adapter.evaluate(normalize(images, mean, std), targets)
                scores.update(found, targets)
            map50 = float(scores.compute()["map_50"])
            scores.reset()
        seconds.append(time.perf_counter() - started)
    return {
        "epoch_s": seconds,
        "train_s": train_seconds,
        "steps_per_epoch": per_epoch,
        "val_map50": map50,
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))

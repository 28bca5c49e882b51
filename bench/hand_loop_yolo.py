"""The hand-written PyTorch loop that an emitted yolov5n/digit_canvas project's training
is measured against (issue 10: per-step time within 1.15x).

The same work as `python train.py` there, read from that run's config.yaml: the same
network, loss, box decoding and batches (imported from the project: the loop is what is
measured, not the model), AdamW + one-cycle per step, shuffled batches, validation with
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
    decode = of("models.yolo_boxes").decode
    YoloLoss = of("models.yolo_loss").YoloLoss
    truths = of("detector").truths
    normalize = of("data.normalize").normalize
    channel_stats = of("data.image_stats").channel_stats

    arrays = coco_sets.load_coco(OmegaConf.create(data_cfg), "boxes")
    train = boxes.BoxBatches(*arrays.splits["train"])
    val = boxes.BoxBatches(*arrays.splits["val"])
    mean, std = channel_stats(arrays.splits["train"][0])
    torch.manual_seed(cfg["seed"])
    model_cfg = OmegaConf.create(cfg["model"])
    net = models.build_model(
        model_cfg, data_cfg["channels"], len(arrays.class_names), data_cfg["image_size"]
    )
    loss_of = YoloLoss(net)
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
    scores = MeanAveragePrecision(backend="pycocotools", class_metrics=True)
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
            loss, _ = loss_of(net(normalize(images, mean, std)), targets)
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
                outputs = net(normalize(images, mean, std))
                loss_of(outputs, targets)  # the emitted validation logs val/loss too
                found = [
                    {"boxes": d[:, :4], "scores": d[:, 4], "labels": d[:, 5].long()}
                    for d in decode(outputs, net, max_detections=100)
                ]
                scores.update(found, truths(targets, len(images)))
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

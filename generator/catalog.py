"""Everything `gen new` can build. Adding a model or dataset starts with one entry here;
docs/extending.md has the whole recipe."""

from .schemas.catalog import (
    BACKENDS,
    TASKS,
    Catalog,
    DatasetEntry,
    FeatureEntry,
    ModelEntry,
)
from .source import BLUEPRINTS

MODELS = [
    ModelEntry(
        name="resnet18",
        family="resnet",
        backends=BACKENDS,
        parameters_m=11.69,
        optimizer="sgd",
        scheduler="cosine",
        description="ResNet-18 (torchvision)",
    ),
    ModelEntry(
        name="resnet34",
        family="resnet",
        backends=BACKENDS,
        parameters_m=21.80,
        optimizer="sgd",
        scheduler="cosine",
        description="ResNet-34 (torchvision)",
    ),
    ModelEntry(
        name="resnet50",
        family="resnet",
        backends=BACKENDS,
        parameters_m=25.56,
        optimizer="sgd",
        scheduler="cosine",
        description="ResNet-50 (torchvision)",
    ),
    ModelEntry(
        name="efficientnet_b0",
        family="efficientnet",
        backends=BACKENDS,  # on paddle: our own, torchvision's layers and names
        parameters_m=5.29,
        optimizer="sgd",
        scheduler="cosine",
        description="EfficientNet-B0 (torchvision; ported to paddle)",
    ),
    ModelEntry(
        name="mobilenet_v3_small",
        family="mobilenet",
        backends=BACKENDS,
        parameters_m=2.54,
        optimizer="sgd",
        scheduler="cosine",
        description="MobileNetV3-Small (torchvision)",
    ),
    ModelEntry(
        name="lenet",
        family="lenet",
        backends=BACKENDS,
        parameters_m=0.11,
        optimizer="adamw",
        scheduler="onecycle",
        description="LeNet-5 style CNN for small grayscale images",
    ),
    ModelEntry(
        name="unet",
        family="unet",
        tasks=("segmentation",),
        backends=BACKENDS,
        parameters_m=0.48,
        optimizer="adamw",
        scheduler="onecycle",
        description="U-Net (Ronneberger et al. 2015), small: 16 channels at full size",
    ),
    *(
        ModelEntry(
            name=name,
            family=name.split("_")[0],
            tasks=("segmentation",),
            backends=backends,
            parameters_m=parameters_m,
            optimizer="adamw",
            scheduler="onecycle",
            description=description,
        )
        for name, backends, parameters_m, description in [
            # on paddle: heads of onefit's own on paddle.vision backbones
            (
                "lraspp_mobilenet_v3_large",
                BACKENDS,
                3.22,
                "LR-ASPP on MobileNetV3-Large (torchvision; paddle: onefit's own)",
            ),
            (
                "deeplabv3_mobilenet_v3_large",
                BACKENDS,
                11.03,
                "DeepLabV3 on MobileNetV3-Large (torchvision; paddle: onefit's own)",
            ),
            (
                "deeplabv3_resnet50",
                BACKENDS,
                39.64,
                "DeepLabV3 on ResNet-50 (torchvision; paddle: onefit's own)",
            ),
            ("fcn_resnet50", ("lightning",), 32.96, "FCN on ResNet-50 (torchvision)"),
        ]
    ),
    *(
        ModelEntry(
            name=name,
            family=name.split("_")[0],
            tasks=(task,),
            backends=("lightning",),  # paddle.vision has no detection models
            parameters_m=parameters_m,
            optimizer="adamw",
            scheduler="onecycle",
            description=f"{description} (torchvision; Lightning only)",
        )
        for name, task, parameters_m, description in [
            (
                "fasterrcnn_mobilenet_v3_large_320_fpn",
                "detection",
                19.36,
                "Faster R-CNN on MobileNetV3-Large, FPN",
            ),
            (
                "fasterrcnn_resnet50_fpn",
                "detection",
                41.76,
                "Faster R-CNN on ResNet-50, FPN",
            ),
            (
                "retinanet_resnet50_fpn",
                "detection",
                33.86,
                "RetinaNet on ResNet-50, FPN",
            ),
            (
                "ssdlite320_mobilenet_v3_large",
                "detection",
                3.3,
                "SSDlite on MobileNetV3-Large",
            ),
            (
                "maskrcnn_resnet50_fpn",
                "instance_segmentation",
                44.4,
                "Mask R-CNN on ResNet-50, FPN",
            ),
            (
                "maskrcnn_resnet50_fpn_v2",
                "instance_segmentation",
                46.31,
                "Mask R-CNN v2 (improved training recipe) on ResNet-50, FPN",
            ),
        ]
    ),
    ModelEntry(
        name="yolov5n",
        family="yolov5",
        tasks=("detection",),
        backends=BACKENDS,
        parameters_m=1.87,
        optimizer="adamw",
        scheduler="onecycle",
        description="YOLOv5-n: a small one-stage detector, written for onefit (no Ultralytics code)",
    ),
    ModelEntry(
        name="yolov5s",
        family="yolov5",
        tasks=("detection",),
        backends=BACKENDS,
        parameters_m=7.23,
        optimizer="adamw",
        scheduler="onecycle",
        description="YOLOv5-s: YOLOv5-n twice as wide",
    ),
]

DATASETS = [
    DatasetEntry(
        name="digits",
        backends=BACKENDS,
        images="1,437 + 360",
        shape=(1, 8, 8),
        classes=10,
        download=None,
        epochs=20,
        batch_size=32,
        description="scikit-learn's real handwritten digits; no network needed",
    ),
    DatasetEntry(
        name="mnist",
        backends=BACKENDS,
        images="60,000 + 10,000",
        shape=(1, 28, 28),
        classes=10,
        download="11 MB",
        epochs=3,
        batch_size=128,
        description="MNIST handwritten digits",
    ),
    DatasetEntry(
        name="fashion_mnist",
        backends=BACKENDS,
        images="60,000 + 10,000",
        shape=(1, 28, 28),
        classes=10,
        download="30 MB",
        epochs=10,
        batch_size=128,
        description="Zalando's Fashion-MNIST clothing images",
    ),
    DatasetEntry(
        name="cifar10",
        backends=BACKENDS,
        images="50,000 + 10,000",
        shape=(3, 32, 32),
        classes=10,
        download="163 MB",
        epochs=30,
        batch_size=128,
        description="CIFAR-10 colour images",
    ),
    DatasetEntry(
        name="cifar100",
        backends=BACKENDS,
        images="50,000 + 10,000",
        shape=(3, 32, 32),
        classes=100,
        download="161 MB",
        epochs=60,
        batch_size=128,
        description="CIFAR-100 colour images",
    ),
    DatasetEntry(
        name="imagefolder",
        backends=BACKENDS,
        images="yours",
        shape=None,
        classes=None,
        download=None,
        epochs=20,
        batch_size=64,
        description="your images, one folder per class: data.root=DIR",
    ),
    DatasetEntry(
        name="csv",
        backends=BACKENDS,
        images="yours",
        shape=None,
        classes=None,
        download=None,
        epochs=20,
        batch_size=64,
        description="your images listed in a CSV (path,label[,split]): data.csv=FILE",
    ),
    DatasetEntry(
        name="imagenet",
        backends=BACKENDS,
        images="1,281,167 + 50,000",
        shape=None,
        classes=1000,
        download="by hand: 155 GB",
        epochs=90,
        batch_size=256,
        description="ILSVRC2012 from its official tars, placed in data.root by you",
    ),
    DatasetEntry(
        name="mix",
        backends=BACKENDS,
        images="its sources'",
        shape=None,
        classes=None,
        download="its sources'",
        epochs=20,
        batch_size=64,
        description="several datasets as one, each by its weight: data.sources=[...]",
    ),
    DatasetEntry(
        name="digit_canvas",
        tasks=("segmentation", "detection", "instance_segmentation"),
        backends=BACKENDS,
        images="1,500 + 300 + 300",
        shape=(3, 64, 64),
        classes=10,
        download=None,
        epochs=15,
        batch_size=16,
        description="scikit-learn's digits pasted on 64x64 canvases, as COCO files; no network",
    ),
    DatasetEntry(
        name="coco",
        tasks=("segmentation", "detection", "instance_segmentation"),
        backends=BACKENDS,
        images="yours",
        shape=None,
        classes=None,
        download=None,
        epochs=30,
        batch_size=16,
        description="your images with COCO annotations: data.root=DIR (annotations/train.json, train/)",
    ),
    DatasetEntry(
        name="coco2017",
        tasks=("segmentation", "detection", "instance_segmentation"),
        backends=BACKENDS,
        images="118,287 + 5,000",
        shape=None,
        classes=80,
        download="19 GB",
        epochs=30,
        batch_size=16,
        description="COCO 2017 from its official zips (test carved from train)",
    ),
    DatasetEntry(
        name="voc",
        tasks=("segmentation", "detection"),
        backends=BACKENDS,
        images="yours",
        shape=None,
        classes=None,
        download=None,
        epochs=30,
        batch_size=16,
        description="your Pascal VOC folder: data.root=DIR (JPEGImages/, Annotations/, ImageSets/)",
    ),
    DatasetEntry(
        name="voc2012",
        tasks=("segmentation", "detection"),
        backends=BACKENDS,
        images="5,717 + 5,823",
        shape=None,
        classes=20,
        download="1.9 GB",
        epochs=50,
        batch_size=16,
        description="Pascal VOC 2012 from its official tar: boxes, or masks of 1,464 + 1,449 images",
    ),
]

# Optional features (`--with NAME`): files and packages a project gets only when asked.
# Their versions live once, in blueprints/<backend>/requirements.txt.jinja.
FEATURES: list[FeatureEntry] = [
    FeatureEntry(
        name="export",
        tasks=TASKS,
        backends=BACKENDS,
        requires=("onnx", "onnxruntime", "onnxscript | paddle2onnx"),
        description="export.py: ONNX or TorchScript (Paddle: its inference model), "
        "verified against the checkpoint on test images",
    ),
    FeatureEntry(
        name="serve",
        tasks=TASKS,
        backends=BACKENDS,
        requires=("fastapi", "uvicorn", "python-multipart", "onnxruntime"),
        needs=("export",),
        description="serve.py: an HTTP endpoint (FastAPI, ONNX Runtime) over an export, "
        "and a slim serving image",
    ),
    FeatureEntry(
        name="ci",
        tasks=TASKS,
        backends=BACKENDS,
        description=".github/workflows/ci.yml: install, tests, a debug training"
        " (and export with verification when exported)",
    ),
]


def top_level_modules() -> frozenset[str]:
    """What `import NAME` would find at the top of any emitted tree: scripts and folders."""
    names = set()
    for backend in BACKENDS:
        for path in (BLUEPRINTS / backend).iterdir():
            name = path.name.removesuffix(".jinja")
            if path.is_dir() or name.endswith(".py"):
                names.add(name.removesuffix(".py"))
    return frozenset(name for name in names if name.isidentifier())


CATALOG = Catalog(
    models={m.name: m for m in MODELS},
    datasets={d.name: d for d in DATASETS},
    features={f.name: f for f in FEATURES},
    defaults={
        "classification": ("lenet", "digits"),
        "segmentation": ("unet", "digit_canvas"),
        "detection": ("yolov5n", "digit_canvas"),
        "instance_segmentation": ("maskrcnn_resnet50_fpn", "digit_canvas"),
    },
    reserved=top_level_modules(),
)

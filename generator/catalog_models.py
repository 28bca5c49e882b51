"""The catalog's models: every network `gen new` can build, per task and backend."""

from .schemas.catalog import BACKENDS, ModelEntry

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

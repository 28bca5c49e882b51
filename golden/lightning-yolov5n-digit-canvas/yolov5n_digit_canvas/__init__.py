"""yolov5n-digit-canvas: yolov5n on digit_canvas, trained with PyTorch Lightning."""

BACKEND = "lightning"  # which twin this is: the few rules that differ read it

"""maskrcnn-digit-canvas: maskrcnn_resnet50_fpn on digit_canvas, trained with PyTorch Lightning."""

BACKEND = "lightning"  # which twin this is: the few rules that differ read it

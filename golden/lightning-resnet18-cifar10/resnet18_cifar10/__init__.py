"""resnet18-cifar10: resnet18 on cifar10, trained with PyTorch Lightning."""

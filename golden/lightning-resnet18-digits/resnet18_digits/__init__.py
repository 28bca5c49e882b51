"""resnet18-digits: resnet18 on digits, trained with PyTorch Lightning."""

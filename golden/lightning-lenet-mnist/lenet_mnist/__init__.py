"""lenet-mnist: lenet on mnist, trained with PyTorch Lightning."""

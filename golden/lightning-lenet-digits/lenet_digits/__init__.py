"""lenet-digits: lenet on digits, trained with PyTorch Lightning."""

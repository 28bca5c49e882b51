"""lenet-digits: lenet on digits, trained with PyTorch Lightning."""

BACKEND = "lightning"  # which twin this is: the few rules that differ read it

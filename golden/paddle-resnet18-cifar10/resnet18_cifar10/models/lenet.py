"""LeNet-5 style CNN for small grayscale images (digits, MNIST): two 5x5 convs, three FCs.

Both convs keep the size (padding 2), so any image of 4 px or more fits; the first
fully connected layer is sized for the image. The same layers as the Lightning twin.
"""

from paddle import nn


class LeNet(nn.Layer):
    def __init__(self, in_channels: int, num_classes: int, image_size: int) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2D(in_channels, 6, kernel_size=5, padding=2),
            nn.ReLU(),
            nn.MaxPool2D(2),
            nn.Conv2D(6, 16, kernel_size=5, padding=2),
            nn.ReLU(),
            nn.MaxPool2D(2),
        )
        side = image_size // 4
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(16 * side * side, 120),
            nn.ReLU(),
            nn.Linear(120, 84),
            nn.ReLU(),
            nn.Linear(84, num_classes),
        )

    def forward(self, x):
        return self.classifier(self.features(x))

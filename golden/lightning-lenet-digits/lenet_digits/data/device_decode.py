"""data.decode=device: streamed JPEG files decoded where the model runs (nvJPEG on a
GPU, through torchvision.io.decode_jpeg), turned upright and resized there. The
loader's workers only read bytes, so a machine with few cores still feeds its GPU.

The orientation comes from each file's EXIF header, read by the worker: nvJPEG does
not apply it.
"""

import sys
import warnings

import torch
from torch.nn.functional import interpolate
from torchvision.io import ImageReadMode, decode_jpeg

MODES = {1: ImageReadMode.GRAY, 3: ImageReadMode.RGB}
# EXIF orientation -> the turn that makes the image upright, as PIL's exif_transpose.
UPRIGHT = {
    2: lambda x: x.flip(-1),
    3: lambda x: x.flip(-2, -1),
    4: lambda x: x.flip(-2),
    5: lambda x: x.transpose(-2, -1),
    6: lambda x: x.transpose(-2, -1).flip(-1),
    7: lambda x: x.transpose(-2, -1).flip(-2, -1),
    8: lambda x: x.transpose(-2, -1).flip(-2),
}


def warn_without_gpu(decode: str | None) -> None:
    if decode == "device" and not torch.cuda.is_available():
        print(
            "warning: data.decode=device without a GPU decodes in this process",
            file=sys.stderr,
        )


def decode_batch(batch, files, device: torch.device):
    """(flat bytes, lengths, orientations, labels, indices) from EncodedBatches to
    uint8 images (N, C, size, size) and their labels, both on `device`."""
    flat, lengths, orientations, labels, indices = batch
    encoded = list(torch.split(flat, lengths.tolist()))
    with warnings.catch_warnings():  # torchvision 0.29 points to torchcodec
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            images = decode_on(encoded, MODES[files.channels], device)
        except RuntimeError:  # no partial results: find the file, one by one
            images, keep = one_by_one(encoded, indices, files, device)
            if not len(keep):  # none decodes here: the loader's way finds the next
                # readable image (an empty batch breaks the training step)
                decoded = files.read(indices.numpy())
                return tuple(torch.from_numpy(a).to(device) for a in decoded)
            orientations, labels = orientations[keep], labels[keep]
    shaped = [
        fit(UPRIGHT.get(int(turn), lambda x: x)(image), files.size)
        for image, turn in zip(images, orientations, strict=True)
    ]
    return torch.stack(shaped), labels.to(device, non_blocking=True)


SIDE_STREAMS: dict = {}  # a CUDA stream per device whose memory only decoding uses


def decode_on(encoded: list, mode, device: torch.device) -> list:
    """decode_jpeg's images, safe to use on this stream. torchvision allocates them on
    the current stream but nvJPEG writes them from a stream of its own without waiting
    for it: memory just freed by training steps still running on the GPU could be
    overwritten. So they are allocated on a side stream, and marked as used here."""
    if device.type != "cuda":
        return decode_jpeg(encoded, mode=mode, device=device)
    side = SIDE_STREAMS.setdefault(device, torch.cuda.Stream(device))
    here = torch.cuda.current_stream(device)
    with torch.cuda.stream(side):
        images = decode_jpeg(encoded, mode=mode, device=device)
    here.wait_stream(side)
    for image in images:
        image.record_stream(here)  # not reused until this stream has read it
    return images


def fit(image: torch.Tensor, size: int) -> torch.Tensor:
    """Resized to size x size (bilinear, antialiased as PIL's), still uint8."""
    if image.shape[-2:] == (size, size):
        return image
    resized = interpolate(
        image[None].float(), (size, size), mode="bilinear", antialias=True
    )
    return resized[0].round().clamp(0, 255).to(torch.uint8)


def one_by_one(encoded, indices, files, device):
    """The images that decode, and which rows they are; the others are reported."""
    images, keep = [], []
    for row, (data, index) in enumerate(zip(encoded, indices.tolist(), strict=True)):
        try:
            images.extend(decode_on([data], MODES[files.channels], device))
            keep.append(row)
        except RuntimeError as error:
            files.unreadable(files.paths[index], str(error), stop=not files.skip)
    return images, torch.as_tensor(keep, dtype=torch.long)

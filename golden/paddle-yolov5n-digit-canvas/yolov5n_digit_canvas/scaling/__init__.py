"""Batch size and scale: data.batch_size=auto, the effective batch held by gradient
accumulation, the learning-rate rule, out-of-memory explained, and the launcher
(torchrun, SLURM, paddle.distributed.launch) read from the environment."""

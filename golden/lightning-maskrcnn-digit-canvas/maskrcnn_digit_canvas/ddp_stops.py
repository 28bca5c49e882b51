"""Ctrl-C and SIGTERM under DDP: every process stops at the same training step.

Raising where a signal lands (what one process does, records/record.py) would leave the
other processes waiting forever in a collective operation. Here rank 0 only asks to
stop; Lightning passes that to every rank at the next training step (its SIGTERM flag,
broadcast each step) and all of them stop there together. Lightning's own SIGTERM
handler, which itself broadcasts from inside the handler, is replaced.
"""

import signal

from pytorch_lightning.callbacks import Callback

from .records.record import EXIT_CODES, received


class SyncedStops(Callback):
    def on_train_start(self, trainer, pl_module) -> None:
        if trainer.world_size < 2:
            return

        def stop(signum, frame) -> None:
            received.append(signal.Signals(signum))
            if trainer.is_global_zero:  # Lightning has no public way to ask this
                trainer._signal_connector.received_sigterm = True

        for signum in EXIT_CODES:
            signal.signal(signum, stop)

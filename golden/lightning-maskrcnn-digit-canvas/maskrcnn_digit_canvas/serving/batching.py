"""Micro-batching: images of requests that arrive together run through ONNX Runtime in
one call, which costs little more than one image's on a CPU and far less than each
alone.

A batch starts with whatever is queued when the model is free. It waits, up to
serve.max_wait_ms, only while other requests are still being read and decoded (they
announce themselves with `coming`), and never beyond serve.max_batch images: a lone
request runs at once, without paying the wait.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import numpy as np


class MicroBatcher:
    def __init__(self, model, max_batch: int, max_wait_ms: float) -> None:
        self.model, self.max_batch, self.max_wait = model, max_batch, max_wait_ms / 1000
        self.queue: asyncio.Queue = asyncio.Queue()
        self.on_the_way = 0  # requests decoding their images, to be queued soon
        self.runner = ThreadPoolExecutor(1, thread_name_prefix="onnxruntime")
        self.batches: list[int] = (
            []
        )  # images per run, the latest few: /health shows them
        self.task: asyncio.Task | None = None

    def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(self.loop())

    async def stop(self) -> None:
        """After the server has finished its requests: nothing is left queued."""
        if self.task is not None:
            self.task.cancel()
        self.runner.shutdown(wait=True)

    def coming(self) -> "Announced":
        """`with batcher.coming():` around reading a request, so that a batch being
        formed waits for its images."""
        return Announced(self)

    async def predict(self, images: np.ndarray) -> list[list[np.ndarray]]:
        """The model's outputs for each of `images` (uint8 N,C,H,W), image by image."""
        done = asyncio.get_running_loop().create_future()
        await self.queue.put((images, done))
        return await done

    async def loop(self) -> None:
        held = None  # an item that would have made the last batch too big
        while True:
            waiting = [held or await self.queue.get()]
            held, count = None, len(waiting[0][0])
            deadline = asyncio.get_running_loop().time() + self.max_wait
            while count < self.max_batch:
                if not (item := await self.next_item(deadline)):
                    break
                if count + len(item[0]) > self.max_batch:
                    held = item  # it starts the next batch
                    break
                waiting.append(item)
                count += len(item[0])
            await self.run(waiting)

    async def next_item(self, deadline: float):
        """The next queued item; or None when nobody else is coming, or at `deadline`."""
        if not self.queue.empty():
            return self.queue.get_nowait()
        left = deadline - asyncio.get_running_loop().time()
        if self.on_the_way == 0 or left <= 0:
            return None
        try:
            return await asyncio.wait_for(self.queue.get(), left)
        except TimeoutError:
            return None

    async def run(self, waiting: list) -> None:
        images = np.concatenate([item[0] for item in waiting])
        self.batches = [*self.batches[-99:], len(images)]
        loop = asyncio.get_running_loop()
        try:
            outputs = await loop.run_in_executor(self.runner, self.infer, images)
        except Exception as error:  # the model failed: every request in it says so
            for _, done in waiting:
                if not done.done():
                    done.set_exception(error)
            return
        start = 0
        for part, done in waiting:
            end = start + len(part)
            if not done.done():  # its client may have gone away
                done.set_result([[o[i] for o in outputs] for i in range(start, end)])
            start = end

    def infer(self, images: np.ndarray) -> list[np.ndarray]:
        return self.model.run(self.model.prepare(images))


class Announced:
    def __init__(self, batcher: MicroBatcher) -> None:
        self.batcher = batcher

    def __enter__(self) -> None:
        self.batcher.on_the_way += 1

    def __exit__(self, *_) -> None:
        self.batcher.on_the_way -= 1

"""Reads a run directory's TensorBoard event files with TensorBoard's own reader and prints every
scalar as JSON: {tag: [[step, value], ...]}. Used by TensorBoardEventsTest."""

import json
import sys

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator


def main() -> None:
    accumulator = EventAccumulator(sys.argv[1], size_guidance={"scalars": 0})  # 0: keep every value
    accumulator.Reload()
    scalars = {
        tag: [[event.step, event.value] for event in accumulator.Scalars(tag)]
        for tag in accumulator.Tags()["scalars"]
    }
    print(json.dumps(scalars))


if __name__ == "__main__":
    main()

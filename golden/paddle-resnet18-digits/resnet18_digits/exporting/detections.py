"""STAND-IN (serve branch) for lexport's detection postprocess: select_objects."""


def select_objects(outputs, postprocess: dict):
    boxes, scores = outputs[0], outputs[1]
    best, classes = scores.max(axis=1), scores.argmax(axis=1)
    keep = best >= postprocess.get("score_threshold", 0.25)
    return boxes[keep], best[keep], classes[keep]
